import { type Actor, forbidden, unauthorized } from '#libs/contracts/src/index.js';

export type PersonActor = Extract<Actor, { kind: 'person' }>;

/** Councils are for people: a machine's API key acts for a fab unit, never as a member. */
export function person(actor: Actor | null): PersonActor {
  if (!actor) throw unauthorized();
  if (actor.kind !== 'person') throw forbidden('API keys act for a fab unit; councils are for people (sign in)');
  return actor;
}
