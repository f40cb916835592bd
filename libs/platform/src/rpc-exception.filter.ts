import { type ArgumentsHost, Catch, HttpException, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';
import { DomainError, type RpcProblem } from '#libs/contracts/src/index.js';

/**
 * Every error leaving a backend service becomes problem details on the transport, so the
 * gateway can answer with the right status. Unknown errors are logged here with their stack
 * and cross the wire as a bare 500 that reveals nothing.
 */
@Catch()
export class RpcProblemFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('RpcProblemFilter');

  catch(exception: unknown, _host: ArgumentsHost): Observable<RpcProblem> {
    return throwError(() => ({ problem: toProblem(exception, this.logger) }));
  }
}

function toProblem(exception: unknown, logger: Logger): RpcProblem['problem'] {
  if (exception instanceof DomainError) return exception.toProblem();
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { type: 'about:blank', title: exception.message, status, detail: exception.message };
  }
  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return {
    type: 'about:blank',
    title: 'Internal error',
    status: 500,
    detail: 'Something went wrong on our side; it has been logged.',
  };
}
