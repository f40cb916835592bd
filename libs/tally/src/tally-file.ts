import {
  approvalBallotsFromPabulib,
  candidatesFromPabulib,
  money,
  scoresFromPabulib,
  supportersFromPabulib,
  withoutProjects,
  type ProjectReport,
} from './election.js';
import { equalShares } from './equal-shares.js';
import { greedy } from './greedy.js';
import { parsePabulib } from './pabulib.js';
import { findAlternative, parsePreflib, type PreflibElection } from './preflib.js';
import type { RationalLike } from './rational.js';
import { schulze, type SchulzeVariant } from './schulze.js';
import type { TieBreak } from './tie-break.js';

/**
 * One entry point for the CLI (`npm run cli -- tally <file> --rule … [--json]`): reads a Pabulib
 * `.pb` (budget rules) or PrefLib `.soi`/`.toc`/`.soc`/`.toi` (Schulze) file and counts it.
 */
export type TallyRule = 'equal-shares' | 'greedy' | 'schulze';

export interface TallyFileOptions {
  /** .pb: project ids to leave out of the instance before counting. */
  exclude?: readonly string[];
  /** equal-shares: completion by raising voters' budgets. Default 'add1'. */
  completion?: 'add1' | 'none';
  /** equal-shares: per-step raise of each voter's budget (default 1). */
  increment?: RationalLike;
  /** equal-shares: greedy fill after completion. Default false. */
  greedyFill?: boolean;
  tieBreak?: TieBreak;
  /** schulze */
  variant?: SchulzeVariant;
  /** schulze: default option (id or name) for Debian A.5 dropping. */
  defaultOption?: string;
  /** schulze: N of the N:1 majority per option (keyed by id or name); others need 1. */
  majorityRatios?: Readonly<Record<string, RationalLike>>;
  quorum?: number;
  ratioTest?: 'debian' | 'strict';
}

export interface ProjectLine {
  id: string;
  name?: string;
  cost: string;
  supporters: number;
  score: string;
  funded: boolean;
  reason: string;
}

export interface BudgetTallyResult {
  kind: 'budget';
  file: string;
  rule: 'equal-shares' | 'greedy';
  /** Project ids in selection order. */
  selected: string[];
  /** Total cost of the selection, exact (decimal when it terminates, else n/d). */
  cost: string;
  budget: string;
  voters: number;
  excluded: string[];
  projects: ProjectLine[];
  notes: string[];
}

export interface Alternative {
  id: string;
  name: string;
}

export interface RankedTallyResult {
  kind: 'ranked';
  file: string;
  rule: 'schulze';
  variant: SchulzeVariant;
  winners: Alternative[];
  ranking: Alternative[][];
  dropped: (Alternative & { reason: string })[];
  voters: number;
}

export type TallyFileResult = BudgetTallyResult | RankedTallyResult;

export function tallyFile(text: string, fileName: string, rule: TallyRule, options: TallyFileOptions = {}): TallyFileResult {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'pb') {
    if (rule === 'schulze') throw new Error('schulze counts ranked files (.soi, .toc); a .pb file needs equal-shares or greedy');
    return tallyPabulib(text, fileName, rule, options);
  }
  if (extension === 'soi' || extension === 'toc' || extension === 'soc' || extension === 'toi') {
    if (rule !== 'schulze') throw new Error(`${rule} counts Pabulib (.pb) files; a .${extension} file needs schulze`);
    return tallyRanked(parsePreflib(text, fileName), fileName, options);
  }
  throw new Error(`cannot tell the format of "${fileName}" (expected .pb, .soi, .toc, .soc or .toi)`);
}

function tallyPabulib(text: string, file: string, rule: 'equal-shares' | 'greedy', options: TallyFileOptions): BudgetTallyResult {
  const instance = withoutProjects(parsePabulib(text), options.exclude ?? []);
  const candidates = candidatesFromPabulib(instance);
  const notes: string[] = [];
  let selected: string[];
  let cost;
  let projects: ProjectReport[];
  if (rule === 'greedy') {
    const outcome = greedy(
      { budget: instance.budget, candidates, scores: scoresFromPabulib(instance), supporters: supportersFromPabulib(instance) },
      { tieBreak: options.tieBreak },
    );
    selected = outcome.selected;
    cost = outcome.cost;
    projects = outcome.projects;
    notes.push(`greedy by ${instance.voteType === 'approval' || instance.voteType === 'choose-1' ? 'approvals' : 'points'}; ties ${outcome.tieBreak}`);
  } else {
    const completion = options.completion ?? 'add1';
    const outcome = equalShares(
      { budget: instance.budget, candidates, ballots: approvalBallotsFromPabulib(instance) },
      {
        tieBreak: options.tieBreak,
        completion: completion === 'add1' ? { increment: options.increment ?? 1 } : false,
        greedyFill: options.greedyFill ?? false,
      },
    );
    selected = outcome.selected;
    cost = outcome.cost;
    projects = outcome.projects;
    notes.push(`method of equal shares, cost utilities; ties ${outcome.tieBreak}`);
    if (completion === 'add1') {
      notes.push(
        `completion add${options.increment ?? 1}: ${outcome.completion.runs} runs, kept per-voter budget ${money(outcome.budgetPerVoter)} (stopped: ${outcome.completion.stoppedBecause})`,
      );
    }
    if (outcome.greedyFill.length > 0) notes.push(`greedy fill added ${outcome.greedyFill.join(', ')}`);
  }
  return {
    kind: 'budget',
    file,
    rule,
    selected,
    cost: money(cost),
    budget: money(instance.budget),
    voters: instance.votes.length,
    excluded: [...(options.exclude ?? [])],
    projects: projects.map((p) => ({
      id: p.id,
      ...(p.name !== undefined ? { name: p.name } : {}),
      cost: money(p.cost),
      supporters: p.supporters,
      score: money(p.score),
      funded: p.decision.funded,
      reason: p.decision.reason,
    })),
    notes,
  };
}

function tallyRanked(election: PreflibElection, file: string, options: TallyFileOptions): RankedTallyResult {
  const label = (id: string): Alternative => ({
    id,
    name: election.alternatives.find((a) => String(a.id) === id)?.name ?? id,
  });
  const resolve = (idOrName: string): string => {
    const alt = findAlternative(election, idOrName);
    if (!alt) throw new Error(`no alternative "${idOrName}" in ${file}`);
    return String(alt.id);
  };
  const ratios: Record<string, RationalLike> = {};
  for (const [key, value] of Object.entries(options.majorityRatios ?? {})) ratios[resolve(key)] = value;
  const result = schulze(
    election.alternatives.map((a) => String(a.id)),
    election.ballots.map((b) => ({ count: b.count, tiers: b.tiers.map((t) => t.map(String)) })),
    {
      variant: options.variant ?? 'winning',
      ...(options.defaultOption !== undefined
        ? {
            debian: {
              defaultOption: resolve(options.defaultOption),
              majorityRatios: ratios,
              ...(options.quorum !== undefined ? { quorum: options.quorum } : {}),
              ...(options.ratioTest !== undefined ? { ratioTest: options.ratioTest } : {}),
            },
          }
        : {}),
    },
  );
  return {
    kind: 'ranked',
    file,
    rule: 'schulze',
    variant: result.variant,
    winners: result.winners.map(label),
    ranking: result.ranking.map((tier) => tier.map(label)),
    // the count works on ids; say the default option's name to people
    dropped: result.dropped.map((d) => {
      const def = options.defaultOption === undefined ? undefined : label(resolve(options.defaultOption));
      return { ...label(d.option), reason: def ? d.reason.replaceAll(`"${def.id}"`, `"${def.name}"`) : d.reason };
    }),
    voters: election.voters,
  };
}

/** Plain-text report for people (the CLI prints this unless --json). */
export function formatTallyResult(result: TallyFileResult): string {
  const lines: string[] = [];
  if (result.kind === 'budget') {
    lines.push(`${result.file}: ${result.rule}, ${result.voters} voters, budget ${result.budget}`);
    for (const note of result.notes) lines.push(`  ${note}`);
    if (result.excluded.length > 0) lines.push(`  left out: ${result.excluded.join(', ')}`);
    lines.push(`Selected ${result.selected.length} projects, total cost ${result.cost}:`);
    const byId = new Map(result.projects.map((p) => [p.id, p]));
    result.selected.forEach((id, i) => {
      const p = byId.get(id)!;
      lines.push(`  ${String(i + 1).padStart(3)}. ${id}  ${p.cost}  (${p.supporters} supporters)${p.name ? `  ${p.name}` : ''}`);
    });
    const rest = result.projects.filter((p) => !p.funded);
    if (rest.length > 0) {
      lines.push('Not funded:');
      for (const p of rest) lines.push(`       ${p.id}  ${p.cost}: ${p.reason}`);
    }
  } else {
    lines.push(`${result.file}: Schulze (${result.variant}), ${result.voters} voters`);
    const show = (a: Alternative) => (a.name === a.id ? a.id : `${a.name} [${a.id}]`);
    lines.push(`Winner${result.winners.length > 1 ? 's (tie)' : ''}: ${result.winners.map(show).join(', ')}`);
    lines.push('Ranking:');
    result.ranking.forEach((tier, i) => lines.push(`  ${i + 1}. ${tier.map(show).join(' = ')}`));
    if (result.dropped.length > 0) {
      lines.push('Dropped before the count:');
      for (const d of result.dropped) lines.push(`  ${show(d)}: ${d.reason}`);
    }
  }
  return lines.join('\n');
}
