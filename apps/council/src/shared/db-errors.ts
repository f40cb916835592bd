import { conflict } from '#libs/contracts/src/index.js';
import { pgCode } from '#libs/database/src/index.js';

/** The trigger that refuses ballots on a closed vote (see the migration) answers 409, like the code path does. */
export function rethrowBallotAfterClose(error: unknown): never {
  const message = (error as { message?: string })?.message ?? '';
  if (pgCode(error) === 'P0001' && message.includes('ballot-after-close')) throw conflict('The vote is closed: the ballot was not counted');
  throw error;
}
