import type { Provider } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type { AppConfig } from '#libs/config/src/index.js';
import { APP_CONFIG } from '#libs/config/src/index.js';
import { type Actor, type BackendService, SERVICE_CLIENT } from '#libs/contracts/src/index.js';
import { rpc } from './rpc-client.js';

/**
 * A typed handle on one backend service: `send` is request/response and answers with the
 * value or throws the service's DomainError. For reads and for commands whose caller waits
 * for the answer; work that must not be lost goes through an outbox and BullMQ instead.
 */
export class ServiceClient {
  constructor(
    readonly service: BackendService,
    private readonly proxy: ClientProxy,
    private readonly timeoutMs: number,
  ) {}

  send<T>(pattern: string, actor: Actor | null, data: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    return rpc<T>(this.proxy, this.service, pattern, actor, data, timeoutMs);
  }

  /** Fire-and-forget notification (pub/sub: lost when nobody listens; never for work). */
  async emit(pattern: string, data: unknown): Promise<void> {
    await new Promise<void>((resolve) => {
      this.proxy.emit(pattern, data).subscribe({ complete: resolve, error: () => resolve() });
    });
  }
}

export const serviceClientToken = (service: BackendService) => `ServiceClient:${service}`;

export function serviceClientProviders(services: readonly BackendService[]): Provider[] {
  return services.map((service) => ({
    provide: serviceClientToken(service),
    inject: [SERVICE_CLIENT[service], APP_CONFIG],
    useFactory: (proxy: ClientProxy, config: AppConfig) => new ServiceClient(service, proxy, config.rpcTimeoutMs),
  }));
}
