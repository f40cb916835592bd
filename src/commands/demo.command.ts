import { loadConfig } from '#libs/config/src/index.js';
import { runDemo } from '../demo/demo.js';
import { MAX_SCALE } from '../demo/regions.js';
import type { Command } from './command.js';
import { commandOptions, wholeNumber } from './command-options.js';

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
    const { values } = commandOptions(args, { scale: { type: 'string' }, seed: { type: 'string' }, units: { type: 'string' }, url: { type: 'string' } });
    const scale = wholeNumber('--scale', values.scale, 1, MAX_SCALE, 1);
    const seed = wholeNumber('--seed', values.seed, 0, 2 ** 31 - 1, 1);
    const units = values.units === undefined ? undefined : wholeNumber('--units', values.units, 0, 100_000, 0);
    const url = values.url?.replace(/\/+$/, '');
    const config = loadConfig();
    const outcome = await runDemo({ config, baseUrl: url, out: process.stdout, err: process.stderr, scale, seed, units });
    return outcome.code;
  },
};
