import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { findAlternative, formatTallyResult, parsePreflib, tallyFile, type TallyFileOptions, type TallyRule } from '#libs/tally/src/index.js';
import { recomputeFromExport } from '#apps/council/src/rounds/round-tally.js';
import { type Command, UsageError } from './command.js';
import { commandOptions } from './command-options.js';

const RULES: readonly TallyRule[] = ['equal-shares', 'greedy', 'schulze'];

/**
 * `tally <file> --rule equal-shares|greedy|schulze [--json]` on a Pabulib `.pb` or a PrefLib
 * `.soi`/`.toc` file (a round's export.pb included). Options:
 *   --exclude 66,67            .pb: leave projects out before counting
 *   --no-completion            equal-shares without add1; --increment N (default 1); --greedy-fill
 *   --default-option NAME|ID   schulze: Debian A.5 default option; --majority N (its ratio for every option)
 */
export const tallyCommand: Command = {
  name: 'tally',
  usage: 'tally <file> --rule equal-shares|greedy|schulze [--json]',
  summary: 'count a Pabulib (.pb) or PrefLib (.soi, .toc) election exactly',
  async run(args) {
    const { values, positionals } = commandOptions(
      args,
      {
        rule: { type: 'string' },
        json: { type: 'boolean' },
        exclude: { type: 'string' },
        'no-completion': { type: 'boolean' },
        increment: { type: 'string' },
        'greedy-fill': { type: 'boolean' },
        'default-option': { type: 'string' },
        majority: { type: 'string' },
      },
      true,
    );
    if (positionals.length > 1) throw new UsageError(`one file at a time (got ${positionals.join(' and ')})`);
    const [file] = positionals;
    const { rule, majority } = values;
    const json = values.json ?? false;
    const options: TallyFileOptions = {
      ...(values.exclude !== undefined ? { exclude: values.exclude.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
      ...(values['no-completion'] ? { completion: 'none' as const } : {}),
      ...(values.increment !== undefined ? { increment: values.increment } : {}),
      ...(values['greedy-fill'] ? { greedyFill: true } : {}),
      ...(values['default-option'] !== undefined ? { defaultOption: values['default-option'] } : {}),
    };
    if (!file) throw new UsageError('name the file to count');
    if (!rule || !(RULES as readonly string[]).includes(rule)) throw new UsageError(`--rule must be one of ${RULES.join(', ')}`);
    if (majority !== undefined && !options.defaultOption) throw new UsageError('--majority needs --default-option');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      console.error(`cannot read ${file}: ${(error as Error).message}`);
      return 1;
    }
    // A Cosmolocal round export carries its rules and resource limits: count it exactly as the
    // council did (same code), so the CLI recomputes the stored result.
    if (/\.pb$/i.test(file) && isRoundExport(text)) {
      try {
        const outcome = recomputeFromExport(text);
        const exported = /^rule;(.*)$/m.exec(text)?.[1]?.trim() ?? '';
        if ((rule === 'equal-shares') !== exported.startsWith('equalshares') || rule === 'schulze') {
          console.error(`${file} is a council round counted with ${exported || 'greedy'}; use --rule ${exported.startsWith('equalshares') ? 'equal-shares' : 'greedy'}`);
          return 1;
        }
        if (json) console.log(JSON.stringify({ selected: outcome.funded, cost: outcome.cost }));
        else {
          console.log(`${basename(file)}: council round, ${outcome.rule}; ${outcome.ballots} ballots of ${outcome.members} members, budget ${outcome.budget}`);
          console.log(`Funded ${outcome.funded.length} candidates, total cost ${outcome.cost}:`);
          for (const c of outcome.candidates) console.log(`  ${c.funded ? String(c.position).padStart(3) + '.' : ' not'} ${c.productionRequestId}  ${c.cost}  (${c.votes} votes): ${c.reason}`);
        }
        return 0;
      } catch (error) {
        console.error(`${file}: ${(error as Error).message}`);
        return 1;
      }
    }
    let result;
    try {
      // --majority: the same ratio for every option but the default one
      if (majority !== undefined) options.majorityRatios = everyOption(text, file, majority, options.defaultOption!);
      result = tallyFile(text, basename(file), rule as TallyRule, options);
    } catch (error) {
      console.error(`${file}: ${(error as Error).message}`);
      return 1;
    }
    if (!json) {
      console.log(formatTallyResult(result));
    } else if (result.kind === 'budget') {
      console.log(JSON.stringify({ selected: result.selected, cost: result.cost }));
    } else {
      console.log(JSON.stringify({ winners: result.winners.map((w) => w.name), ranking: result.ranking.map((tier) => tier.map((a) => a.name)) }));
    }
    return 0;
  },
};

function isRoundExport(text: string): boolean {
  const meta = text.split(/\r?\n(?:PROJECTS|projects)\r?\n/)[0] ?? '';
  return /^council_members;/m.test(meta) && /^resource_limits;/m.test(meta);
}

function everyOption(text: string, file: string, ratio: string, defaultOption: string): Record<string, string> {
  const election = parsePreflib(text, file);
  const def = findAlternative(election, defaultOption);
  return Object.fromEntries(election.alternatives.filter((a) => a.id !== def?.id).map((a) => [String(a.id), ratio]));
}
