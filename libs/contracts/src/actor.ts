/**
 * Who is acting, as the gateway authenticated it. It travels with every message so the
 * owning service can apply its own rules (maintainer of a design, operator of a fab unit,
 * member of a council) without knowing about tokens or keys.
 */
export type Actor =
  | { kind: 'person'; accountId: string; platformAdmin: boolean }
  | { kind: 'machine'; apiKeyId: string; fabUnitId: string; accountId: string | null; platformAdmin: false };

/** The envelope of every request message on the transport. */
export interface RpcRequest<T = unknown> {
  actor: Actor | null;
  data: T;
}

export function actorAccountId(actor: Actor | null): string | null {
  return actor?.accountId ?? null;
}
