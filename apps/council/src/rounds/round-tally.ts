import type {
  CandidateOutcome,
  CouncilRules,
  RoundBallotContent,
  RoundBudget,
  RoundResultView,
} from '#libs/contracts/src/council/index.js';
import {
  approvalBallotsFromPabulib,
  type Decision,
  money,
  type ProjectReport,
  scoresFromPabulib,
  supportersFromPabulib,
} from '#libs/tally/src/election.js';
import { equalShares } from '#libs/tally/src/equal-shares.js';
import { greedy } from '#libs/tally/src/greedy.js';
import { type PbInstance, type PbProject, type PbVote, parsePabulib, writePabulib } from '#libs/tally/src/pabulib.js';
import { Rational } from '#libs/tally/src/rational.js';
import { tallyDigest } from '#libs/tally/src/result-digest.js';
import { compareCodePoints, type TieBreak } from '#libs/tally/src/tie-break.js';
import { exact, text } from '../councils/council-rules.js';

/**
 * A round is counted from its Pabulib form and nothing else: the close builds the anonymised
 * `.pb` instance (rules in META, candidates with their cost in the council's unit and their
 * resource needs, ballots sorted and numbered 1…n), digests it, and tallies that instance; the
 * export is the same instance with the outcome's `selected` column. So anyone holding the export
 * recomputes the stored result with `tallyRoundInstance(parsePabulib(text))`.
 *
 * Cosmolocal's META keys beside Pabulib's own: `tie_break`, `mes_increment`, `greedy_fill`,
 * `fund_unsupported` (0: a candidate nobody voted for is never funded), `quorum`,
 * `council_members`, `resource_limits` (JSON, exact text per resource); PROJECTS column
 * `resources` (JSON: the candidate's needs per limited resource).
 */
export interface RoundCandidateInput {
  id: string;
  name: string;
  cost: string;
  resources: Record<string, string>;
}

export interface RoundInstanceInput {
  roundId: string;
  title: string;
  councilName: string;
  rules: CouncilRules;
  budget: RoundBudget;
  members: number;
  opensAt: Date;
  closesAt: Date;
  candidates: RoundCandidateInput[];
  ballots: RoundBallotContent[];
}

const VOTE_TYPE = { approval: 'approval', cumulative: 'cumulative', ranked: 'ordinal' } as const;

/** One ballot as its VOTES row: the canonical text two equal ballots share. */
export function ballotLine(ballot: RoundBallotContent): { vote: string; points?: string } {
  if (ballot.points) {
    const ids = Object.keys(ballot.points)
      .filter((id) => ballot.points![id]! > 0)
      .sort(compareCodePoints);
    return { vote: ids.join(','), points: ids.map((id) => String(ballot.points![id])).join(',') };
  }
  if (ballot.ranking) return { vote: ballot.ranking.join(',') };
  return { vote: [...(ballot.approvals ?? [])].sort(compareCodePoints).join(',') };
}

export function buildRoundInstance(input: RoundInstanceInput): PbInstance {
  const { rules } = input;
  const voteType = VOTE_TYPE[rules.ballotType];
  const rule =
    rules.votingMethod === 'equal-shares' ? (rules.completion.add1 ? 'equalshares/add1' : 'equalshares') : 'greedy';
  const meta: Record<string, string> = {
    description: oneLine(`Cosmolocal allocation round: ${input.title}`),
    country: 'n/a',
    unit: oneLine(input.councilName) || 'council',
    instance: input.roundId,
    num_projects: String(input.candidates.length),
    num_votes: String(input.ballots.length),
    budget: input.budget.money,
    vote_type: voteType,
    rule,
    date_begin: input.opensAt.toISOString(),
    date_end: input.closesAt.toISOString(),
    tie_break: rules.tieBreak,
    mes_increment: rules.completion.increment,
    greedy_fill: rules.votingMethod === 'equal-shares' && rules.completion.greedyFill ? '1' : '0',
    fund_unsupported: '0',
    quorum: rules.quorum,
    council_members: String(input.members),
    resource_limits: JSON.stringify(sortedObject(input.budget.limits)),
  };
  if (voteType === 'cumulative') meta['max_sum_points'] = String(rules.maxPoints);
  if (voteType === 'ordinal') meta['max_length'] = String(Math.max(1, input.candidates.length));

  const projects: PbProject[] = [...input.candidates]
    .sort((a, b) => compareCodePoints(a.id, b.id))
    .map((c) => ({
      id: c.id,
      cost: Rational.fromDecimalString(c.cost),
      name: oneLine(c.name),
      extra: { resources: JSON.stringify(sortedObject(c.resources)) },
    }));

  const lines = input.ballots.map(ballotLine).sort((a, b) => compareCodePoints(a.vote, b.vote) || compareCodePoints(a.points ?? '', b.points ?? ''));
  const votes: PbVote[] = lines.map((l, i) => ({
    voterId: String(i + 1),
    projects: l.vote === '' ? [] : l.vote.split(','),
    ...(l.points !== undefined ? { points: l.points === '' ? [] : l.points.split(',').map((p) => Rational.fromDecimalString(p)) } : {}),
    extra: {},
  }));
  return {
    meta,
    voteType,
    budget: Rational.fromDecimalString(input.budget.money),
    projectColumns: ['project_id', 'cost', 'name', 'resources'],
    voteColumns: voteType === 'cumulative' ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote'],
    projects,
    votes,
  };
}

/**
 * libs/tally's digest over the sorted anonymised ballots (as their VOTES cells) and the rules
 * (every META entry: rule, tie-break, completion, quorum, budget, resource limits) with the
 * candidates (id, cost, resource needs) they were counted on. Recomputable from the export.
 */
export function roundDigest(instance: PbInstance): string {
  return tallyDigest({
    ballots: instance.votes.map((v) => ({ vote: v.projects, ...(v.points ? { points: v.points.map((p) => p.toString()) } : {}) })),
    rules: {
      meta: Object.fromEntries(Object.entries(instance.meta).filter(([k]) => k !== 'num_votes')),
      candidates: instance.projects.map((p) => ({ id: p.id, cost: p.cost.toString(), resources: JSON.parse(p.extra['resources'] || '{}') })),
    },
  }).digest;
}

/** The export: the counted instance plus `votes`, `score` and `selected` per project. */
export function exportRoundInstance(instance: PbInstance, outcome: RoundTallyOutcome): string {
  const byId = new Map(outcome.candidates.map((c) => [c.productionRequestId, c]));
  return writePabulib({
    ...instance,
    projectColumns: ['project_id', 'cost', 'votes', 'score', 'name', 'resources', 'selected'],
    projects: instance.projects.map((p) => {
      const o = byId.get(p.id);
      return {
        ...p,
        selected: o?.funded ?? false,
        extra: { ...p.extra, votes: String(o?.votes ?? 0), score: o?.score ?? '0' },
      };
    }),
  });
}

/** The count itself: the stored result view less what the close adds (ids, digest, receipts, time). */
export type RoundTallyOutcome = Omit<RoundResultView, 'roundId' | 'digest' | 'receipts' | 'ballotsByMember' | 'closedAt'>;

/** Counts a round from its `.pb` instance (as built above, or parsed back from the export). */
export function tallyRoundInstance(instance: PbInstance): RoundTallyOutcome {
  const meta = instance.meta;
  const tieBreak = (meta['tie_break'] ?? 'id') as TieBreak & string;
  const limits = Object.fromEntries(
    Object.entries(JSON.parse(meta['resource_limits'] ?? '{}') as Record<string, string>).map(([k, v]) => [k, Rational.fromDecimalString(v)]),
  );
  const needs = new Map(
    instance.projects.map((p) => [
      p.id,
      Object.fromEntries(
        Object.entries(JSON.parse(p.extra['resources'] || '{}') as Record<string, string>).map(([k, v]) => [k, Rational.fromDecimalString(v)]),
      ),
    ]),
  );
  const candidates = instance.projects.map((p) => ({ id: p.id, cost: p.cost, name: p.name ?? p.id, resources: needs.get(p.id)! }));
  const members = Number(meta['council_members'] ?? instance.votes.length);
  const quorum = exact(meta['quorum'] ?? '0') ?? Rational.ZERO;
  const ballots = instance.votes.length;
  const quorumMet = Rational.of(ballots).gte(quorum.mul(members));
  const supporters = supportersFromPabulib(instance);
  const scores = scoresFromPabulib(instance);
  const fundUnsupported = meta['fund_unsupported'] !== '0';

  let rule: string;
  let reports: ProjectReport[];
  let selected: string[];
  let cost: Rational;
  let remaining: Record<string, Rational>;
  if (!quorumMet) {
    rule = `${meta['rule'] ?? 'greedy'} (not run: quorum not met)`;
    const needed = quorum.mul(members);
    reports = candidates.map((c) => ({
      id: c.id,
      cost: c.cost,
      supporters: supporters.get(c.id) ?? 0,
      score: scores.get(c.id) ?? Rational.ZERO,
      decision: {
        funded: false,
        cause: 'over-budget',
        reason: `the quorum was not met: ${ballots} of ${members} members voted, ${money(needed)} needed`,
      },
    }));
    selected = [];
    cost = Rational.ZERO;
    remaining = limits;
  } else if ((meta['rule'] ?? '').startsWith('equalshares')) {
    const add1 = meta['rule'] === 'equalshares/add1';
    const greedyFill = meta['greedy_fill'] === '1';
    const outcome = equalShares(
      { budget: instance.budget, candidates, ballots: approvalBallotsFromPabulib(instance), resourceLimits: limits },
      {
        tieBreak,
        completion: add1 ? { increment: Rational.fromDecimalString(meta['mes_increment'] ?? '1') } : false,
        greedyFill: greedyFill ? { fundUnsupported } : false,
      },
    );
    rule = `Method of Equal Shares (cost utilities)${add1 ? `, completed by add${meta['mes_increment'] ?? '1'} (${outcome.completion.stoppedBecause} after ${outcome.completion.runs} runs)` : ''}${greedyFill ? ', then greedy fill by approvals' : ''}`;
    reports = outcome.projects;
    selected = outcome.selected;
    cost = outcome.cost;
    remaining = outcome.remainingResources;
  } else {
    const outcome = greedy(
      { budget: instance.budget, candidates, scores, supporters, resourceLimits: limits },
      { tieBreak, fundUnsupported },
    );
    rule = `greedy by ${instance.voteType === 'approval' ? 'approvals' : instance.voteType === 'ordinal' ? 'positional points' : 'points'}`;
    reports = outcome.projects;
    selected = outcome.selected;
    cost = outcome.cost;
    remaining = outcome.remainingResources;
  }

  const position = new Map(selected.map((id, i) => [id, i + 1]));
  const outcomes: CandidateOutcome[] = reports.map((r) => {
    const c = candidates.find((x) => x.id === r.id)!;
    const d: Decision = r.decision;
    return {
      productionRequestId: r.id,
      title: c.name,
      funded: d.funded,
      position: position.get(r.id) ?? null,
      votes: supporters.get(r.id) ?? r.supporters,
      score: text(scores.get(r.id) ?? r.score),
      cost: text(c.cost),
      resources: Object.fromEntries(Object.entries(c.resources).map(([k, v]) => [k, text(v)])),
      reason: d.reason,
      ...(!d.funded && d.cause === 'resource' && d.shortfall ? { shortResource: d.shortfall.resource } : {}),
    };
  });
  outcomes.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || compareCodePoints(a.productionRequestId, b.productionRequestId));
  return {
    rule,
    tieBreak: String(tieBreak),
    members,
    ballots,
    quorumMet,
    budget: text(instance.budget),
    cost: text(cost),
    funded: selected,
    candidates: outcomes,
    remainingResources: Object.fromEntries(Object.entries(remaining).map(([k, v]) => [k, text(v)])),
  };
}

/** Recomputes a round from its exported `.pb` text. */
export function recomputeFromExport(textPb: string): RoundTallyOutcome {
  return tallyRoundInstance(parsePabulib(textPb));
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function sortedObject<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort(compareCodePoints).map((k) => [k, o[k]!]));
}

/** The digest recomputed from an export: the outcome columns dropped, the rest written back as counted. */
export function digestOfExport(textPb: string): string {
  const parsed = parsePabulib(textPb);
  return roundDigest({
    ...parsed,
    projectColumns: ['project_id', 'cost', 'name', 'resources'],
    projects: parsed.projects.map((p) => ({ id: p.id, cost: p.cost, ...(p.name !== undefined ? { name: p.name } : {}), extra: { resources: p.extra['resources'] ?? '{}' } })),
  });
}
