import type { Contributor } from '#libs/contracts/src/commons/design-version.js';

/** The people of one version: its licensors and contributors. */
export interface VersionPeople {
  licensors: Contributor[];
  contributors: Contributor[];
}

/**
 * The attribution chain: every licensor and contributor from this version up its lineage
 * (nearest first), each person once, at the place they first appear. A person is the same
 * when name and email agree, ignoring case; without an email, the name alone decides.
 */
export function attributionChain(levels: readonly VersionPeople[]): Contributor[] {
  const seen = new Set<string>();
  const out: Contributor[] = [];
  for (const level of levels) {
    for (const person of [...level.licensors, ...level.contributors]) {
      const key = `${person.name.trim().toLowerCase()}\u0000${(person.email ?? '').trim().toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(person);
    }
  }
  return out;
}
