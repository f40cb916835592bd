import { Rational, type RationalLike } from './rational.js';

/**
 * The Schulze method (M. Schulze, "The Schulze Method of Voting", arXiv:1804.02973).
 *
 * d[i][j] = number of voters who strictly prefer i to j (a ballot ranks listed options above
 * unlisted ones; unlisted ones are tied). A link i→j exists when d[i][j] > d[j][i]; its strength
 * depends on the variant:
 *   - 'winning' (default, Schulze's recommendation and Debian's): d[i][j];
 *   - 'margin': d[i][j] − d[j][i];
 *   - 'ratio': d[i][j] / d[j][i] (infinite when d[j][i] = 0).
 * p[i][j] is the strength of the strongest path (widest path, Floyd–Warshall); i beats j when
 * p[i][j] > p[j][i], which is transitive. The ranking lists, tier by tier, the options no other
 * remaining option beats; the winners are the first tier (several = a tie the count cannot break).
 *
 * Debian constitution A.5 (default option, quorum, per-option majority ratios) is applied first:
 * a non-default option A is dropped when V(A,D) < R (quorum R) or when it does not defeat the
 * default option D by its majority ratio N — see `DebianRules`.
 */
export type SchulzeVariant = 'winning' | 'margin' | 'ratio';

export interface RankedBallot {
  /** How many voters cast this ballot (default 1). */
  count?: number | bigint;
  /** Best first; each tier lists options tied with each other. Unlisted options rank last, tied. */
  tiers: readonly (readonly string[])[];
}

/** A link or path strength: num/den, with den = 0 meaning infinity (ratio variant only). */
export interface Strength {
  num: bigint;
  den: bigint;
}

export interface DebianRules {
  /** The default option ("Further Discussion", "None Of The Above"). */
  defaultOption: string;
  /** N for options needing an N:1 supermajority against the default; others need 1. */
  majorityRatios?: Readonly<Record<string, RationalLike>>;
  /** R: an option needs at least R voters ranking it above the default. */
  quorum?: number | bigint;
  /**
   * How A must defeat the default D with ratio N.
   * 'debian' (default): V(A,D) > V(D,A) and V(A,D) ≥ N·V(D,A) — the text since the 2015
   *   supermajority fix (A.5.3.2 today), restoring the pre-2003 meaning of "an N:1 majority";
   * 'strict': V(A,D) > N·V(D,A) — the June 2003 (v1.1) wording, which the 2015 fix called an
   *   unintended fencepost error.
   * For N = 1 both read V(A,D) > V(D,A).
   */
  ratioTest?: 'debian' | 'strict';
}

export interface SchulzeOptions {
  variant?: SchulzeVariant;
  debian?: DebianRules;
}

export interface DroppedOption {
  option: string;
  rule: 'quorum' | 'majority';
  /** V(A, default) and V(default, A). */
  for: bigint;
  against: bigint;
  reason: string;
}

export interface SchulzeResult {
  variant: SchulzeVariant;
  /** All options, in input order; matrices are indexed the same way. */
  options: string[];
  /** d[i][j]: voters preferring options[i] to options[j]. */
  pairwise: bigint[][];
  /** p[i][j] over the options still in the count (dropped options have no links). */
  strongestPaths: Strength[][];
  dropped: DroppedOption[];
  /** Options left after A.5 dropping, best tier first. */
  ranking: string[][];
  winners: string[];
}

export function schulze(options: readonly string[], ballots: readonly RankedBallot[], settings: SchulzeOptions = {}): SchulzeResult {
  const variant = settings.variant ?? 'winning';
  const n = options.length;
  const index = new Map<string, number>();
  options.forEach((o, i) => {
    if (index.has(o)) throw new Error(`schulze: duplicate option "${o}"`);
    index.set(o, i);
  });

  const d: bigint[][] = options.map(() => options.map(() => 0n));
  const position = new Int32Array(n);
  for (const ballot of ballots) {
    const count = BigInt(ballot.count ?? 1);
    if (count < 0n) throw new Error('schulze: negative ballot count');
    if (count === 0n) continue;
    position.fill(ballot.tiers.length);
    const seen = new Set<number>();
    ballot.tiers.forEach((tier, r) => {
      for (const o of tier) {
        const i = index.get(o);
        if (i === undefined) throw new Error(`schulze: ballot ranks unknown option "${o}"`);
        if (seen.has(i)) throw new Error(`schulze: ballot ranks "${o}" twice`);
        seen.add(i);
        position[i] = r;
      }
    });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (position[i] < position[j]) d[i][j] += count;
    }
  }

  const dropped = settings.debian ? applyDebianRules(options, index, d, settings.debian) : [];
  const out = new Set(dropped.map((x) => index.get(x.option)!));
  const live = options.map((_, i) => i).filter((i) => !out.has(i));

  const zero: Strength = { num: 0n, den: 1n };
  const p: Strength[][] = options.map(() => options.map(() => zero));
  for (const i of live) {
    for (const j of live) {
      if (i !== j && d[i][j] > d[j][i]) p[i][j] = linkStrength(variant, d[i][j], d[j][i]);
    }
  }
  for (const i of live) {
    for (const j of live) {
      if (i === j) continue;
      for (const k of live) {
        if (k === i || k === j) continue;
        const via = minStrength(p[j][i], p[i][k]);
        if (compareStrength(via, p[j][k]) > 0) p[j][k] = via;
      }
    }
  }

  const ranking: string[][] = [];
  let remaining = [...live];
  while (remaining.length > 0) {
    const tier = remaining.filter((i) => !remaining.some((j) => j !== i && compareStrength(p[j][i], p[i][j]) > 0));
    // The beat relation is a strict partial order (Schulze, §4.1), so a tier is never empty.
    const take = tier.length > 0 ? tier : remaining;
    ranking.push(take.map((i) => options[i]));
    remaining = remaining.filter((i) => !take.includes(i));
  }

  return {
    variant,
    options: [...options],
    pairwise: d,
    strongestPaths: p,
    dropped,
    ranking,
    winners: ranking[0] ?? [],
  };
}

function applyDebianRules(
  options: readonly string[],
  index: Map<string, number>,
  d: bigint[][],
  rules: DebianRules,
): DroppedOption[] {
  const def = index.get(rules.defaultOption);
  if (def === undefined) throw new Error(`schulze: default option "${rules.defaultOption}" is not on the ballot`);
  const quorum = rules.quorum === undefined ? undefined : BigInt(rules.quorum);
  const dropped: DroppedOption[] = [];
  options.forEach((option, a) => {
    if (a === def) return;
    const vFor = d[a][def];
    const vAgainst = d[def][a];
    if (quorum !== undefined && vFor < quorum) {
      dropped.push({
        option,
        rule: 'quorum',
        for: vFor,
        against: vAgainst,
        reason: `only ${vFor} voters rank it above "${rules.defaultOption}", quorum is ${quorum}`,
      });
      return;
    }
    const ratio = Rational.from(rules.majorityRatios?.[option] ?? 1);
    if (!ratio.gt(0)) throw new Error(`schulze: majority ratio of "${option}" must be positive`);
    // V(A,D) vs N·V(D,A) with N = num/den: compare den·V(A,D) with num·V(D,A)
    const lhs = ratio.den * vFor;
    const rhs = ratio.num * vAgainst;
    const strict = rules.ratioTest === 'strict';
    const passes = strict ? lhs > rhs : vFor > vAgainst && lhs >= rhs;
    if (!passes) {
      dropped.push({
        option,
        rule: 'majority',
        for: vFor,
        against: vAgainst,
        reason:
          `does not defeat "${rules.defaultOption}" by its required majority ${ratio}:1 ` +
          `(${vFor} prefer it, ${vAgainst} prefer "${rules.defaultOption}")`,
      });
    }
  });
  return dropped;
}

function linkStrength(variant: SchulzeVariant, dij: bigint, dji: bigint): Strength {
  if (variant === 'winning') return { num: dij, den: 1n };
  if (variant === 'margin') return { num: dij - dji, den: 1n };
  if (dji === 0n) return { num: 1n, den: 0n };
  return normalise(dij, dji);
}

function normalise(num: bigint, den: bigint): Strength {
  const r = Rational.of(num, den);
  return { num: r.num, den: r.den };
}

/** Cross-multiplication also orders infinity (den 0) above every finite strength. */
export function compareStrength(a: Strength, b: Strength): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

function minStrength(a: Strength, b: Strength): Strength {
  return compareStrength(a, b) <= 0 ? a : b;
}

export function strengthToString(s: Strength): string {
  if (s.den === 0n) return '∞';
  return s.den === 1n ? s.num.toString() : `${s.num}/${s.den}`;
}

/**
 * Parses the compact ballot syntax of the reference cases: "A > B = C > D" ranks A first, B and C
 * tied second, D third.
 */
export function parseRankedBallot(text: string, count: number | bigint = 1): RankedBallot {
  const tiers = text
    .split('>')
    .map((tier) =>
      tier
        .split('=')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    )
    .filter((tier) => tier.length > 0);
  return { count, tiers };
}
