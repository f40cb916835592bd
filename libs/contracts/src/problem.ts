/**
 * RFC 9457 problem details, and the one error type every service throws for a known
 * failure. It crosses the Nest transport as plain data and becomes an HTTP answer at the
 * gateway, so a service never needs to know about HTTP.
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `requirements.0.process`. */
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_BASE = 'https://cosmolocal.dev/problems/';

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  get detail(): string {
    return this.message;
  }

  toProblem(instance?: string): ProblemDetails {
    return {
      type: PROBLEM_BASE + this.slug,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }

  static fromProblem(problem: ProblemDetails): DomainError {
    const { type, title, status, detail, instance: _instance, ...extensions } = problem;
    const slug = type.startsWith(PROBLEM_BASE) ? type.slice(PROBLEM_BASE.length) : type;
    return new DomainError(status, slug, title, detail ?? title, extensions);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new DomainError(400, 'validation-failed', 'Your request is not valid', detail, errors ? { errors } : {});
export const unauthorized = (detail = 'Sign in first: send a valid bearer token or API key') =>
  new DomainError(401, 'unauthorized', 'Not signed in', detail);
export const forbidden = (detail: string) => new DomainError(403, 'forbidden', 'Not allowed', detail);
export const notFound = (what: string, id: string) =>
  new DomainError(404, 'not-found', 'Not found', `${what} ${id} does not exist`, { resource: what, id });
export const conflict = (detail: string, extensions: Record<string, unknown> = {}) =>
  new DomainError(409, 'conflict', 'Conflict with the current state', detail, extensions);
export const unprocessable = (slug: string, title: string, detail: string, extensions: Record<string, unknown> = {}) =>
  new DomainError(422, slug, title, detail, extensions);
export const serviceUnavailable = (detail: string) =>
  new DomainError(503, 'service-unavailable', 'A part of Cosmolocal is not answering', detail);

/** The shape a service error takes on the transport. */
export interface RpcProblem {
  problem: ProblemDetails;
}

export function isRpcProblem(value: unknown): value is RpcProblem {
  return (
    typeof value === 'object' &&
    value !== null &&
    'problem' in value &&
    typeof (value as RpcProblem).problem?.status === 'number'
  );
}
