/** One `npm run cli -- <name> …` command: its help line and what it does, returning an exit code. */
export interface Command {
  /** One or more words, e.g. `tally` or `import okw`; the longest that matches the arguments wins. */
  name: string;
  usage: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

export class UsageError extends Error {}
