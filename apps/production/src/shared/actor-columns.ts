import type { Actor } from '#libs/contracts/src/index.js';

/** Who did it, as stored on every transition: a person, a machine's API key, or the system (a worker). */
export interface ActorColumns {
  kind: 'person' | 'machine' | 'system';
  accountId: string | null;
  apiKeyId: string | null;
}

export const SYSTEM_ACTOR: ActorColumns = { kind: 'system', accountId: null, apiKeyId: null };

export function actorColumns(actor: Actor | null): ActorColumns {
  if (!actor) return SYSTEM_ACTOR;
  if (actor.kind === 'machine') return { kind: 'machine', accountId: actor.accountId, apiKeyId: actor.apiKeyId };
  return { kind: 'person', accountId: actor.accountId, apiKeyId: null };
}
