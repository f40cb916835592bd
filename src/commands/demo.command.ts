import { loadConfig } from '#libs/config/src/index.js';
import { runDemo } from '../demo/demo.js';
import { MAX_SCALE } from '../demo/regions.js';
import { type Command, UsageError } from './command.js';

/**
 * `npm run demo [-- --scale N] [--seed N] [--units N] [--url URL]`: the whole cycle against the
 * running system (started in this process when none answers), a report on stdout, progress
 * on stderr; exit 0 only when every check holds. `--scale N` runs 2 × N councils (N × the
 * requests, members and pooled labs) and equips 300 × N labs elsewhere; `--units` sets that
 * last number alone.
 */
export const demoCommand: Command = {
  name: 'demo',
  usage: 'demo [--scale N] [--seed N] [--units N] [--url URL]',
  summary: 'walk the whole cycle on real data (designs, fab labs, councils, a round, jobs) and check it',
  async run(args) {
    let scale = 1;
    let seed = 1;
    let units: number | undefined;
    let url: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const value = () => {
        const v = args[++i];
        if (v === undefined) throw new UsageError(`${a} needs a value`);
        return v;
      };
      const integer = (name: string, v: string, min: number, max: number) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}`);
        return n;
      };
      if (a === '--scale') scale = integer('--scale', value(), 1, MAX_SCALE);
      else if (a === '--seed') seed = integer('--seed', value(), 0, 2 ** 31 - 1);
      else if (a === '--units') units = integer('--units', value(), 0, 100_000);
      else if (a === '--url') url = value().replace(/\/+$/, '');
      else throw new UsageError(`unknown option ${a}`);
    }
    const config = loadConfig();
    const outcome = await runDemo({ config, baseUrl: url, out: process.stdout, err: process.stderr, scale, seed, units });
    return outcome.code;
  },
};
