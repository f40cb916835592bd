import type { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import {
  type Actor,
  DomainError,
  isRpcProblem,
  type RpcRequest,
  serviceUnavailable,
} from '#libs/contracts/src/index.js';

/**
 * Sends one request over the transport and turns the answer back into a value or a
 * DomainError, so callers read like local calls and a silent service becomes a 503.
 */
export async function rpc<T>(
  client: ClientProxy,
  service: string,
  pattern: string,
  actor: Actor | null,
  data: unknown,
  timeoutMs: number,
): Promise<T> {
  const message: RpcRequest = { actor, data };
  try {
    return await firstValueFrom(client.send<T>(pattern, message).pipe(timeout(timeoutMs)));
  } catch (error) {
    if (isRpcProblem(error)) throw DomainError.fromProblem(error.problem);
    if (error instanceof TimeoutError) {
      throw serviceUnavailable(`${service} did not answer ${pattern} within ${timeoutMs} ms`);
    }
    if (error instanceof DomainError) throw error;
    const text = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
    throw serviceUnavailable(`${service} could not be reached for ${pattern}: ${text}`);
  }
}
