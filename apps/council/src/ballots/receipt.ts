import { randomBytes } from 'node:crypto';
import { ballotReceipt as receiptOf } from '#libs/tally/src/index.js';

/**
 * A ballot receipt (libs/tally): SHA-256 over the ballot and a secret made of where it was cast
 * and a random salt drawn at casting. The member is shown it (and reads it again with their own
 * ballot); the result lists the receipt of every counted ballot, so each member checks theirs was
 * counted while nobody can tell from a receipt what anyone voted.
 */
export function ballotReceipt(scope: 'round' | 'motion', id: string, canonicalBallot: unknown, salt = randomBytes(16).toString('hex')): string {
  return receiptOf(`${scope}:${id}:${salt}`, canonicalBallot);
}
