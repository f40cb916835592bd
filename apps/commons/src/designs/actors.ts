import { type Actor, forbidden, unauthorized } from '#libs/contracts/src/index.js';

export type PersonActor = Extract<Actor, { kind: 'person' }>;

/**
 * Publishing, forking, maintaining and endorsing are things people do. An API key stands for
 * a machine of a fab unit: it reports builds, nothing more.
 */
export function requirePerson(actor: Actor | null, doing: string): PersonActor {
  if (!actor) throw unauthorized();
  if (actor.kind !== 'person') throw forbidden(`An API key acts for a fab unit; sign in as a person to ${doing}`);
  return actor;
}
