import {
  type CouncilRules,
  type CouncilRulesDto,
  DEFAULT_COUNCIL_RULES,
  type MaterialRate,
} from '#libs/contracts/src/council/index.js';
import type { FieldError } from '#libs/contracts/src/index.js';
import { Rational } from '#libs/tally/src/rational.js';
import { canonicalMaterial, canonicalProcess, canonicalUnit } from '#libs/taxonomy/src/index.js';

/**
 * A council's rules from what a client sent: defaults (or the current rules) for what is left
 * out, canonical process, material and unit ids, exact decimal text for every number. Returns
 * the field errors instead when something is not acceptable; nothing is guessed.
 */
export function resolveRules(
  input: CouncilRulesDto | undefined,
  base: CouncilRules = DEFAULT_COUNCIL_RULES,
  prefix = 'rules',
): { rules: CouncilRules; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const i = input ?? {};
  const rules: CouncilRules = {
    votingMethod: i.votingMethod ?? base.votingMethod,
    ballotType: i.ballotType ?? base.ballotType,
    maxPoints: i.maxPoints ?? base.maxPoints,
    tieBreak: i.tieBreak ?? base.tieBreak,
    completion: {
      add1: i.completion?.add1 ?? base.completion.add1,
      increment: base.completion.increment,
      greedyFill: i.completion?.greedyFill ?? base.completion.greedyFill,
    },
    quorum: base.quorum,
    secretBallots: i.secretBallots ?? base.secretBallots,
    replaceableBallots: i.replaceableBallots ?? base.replaceableBallots,
    rates: { machineHour: { ...base.rates.machineHour }, material: { ...base.rates.material } },
  };

  if (i.completion?.increment !== undefined) {
    const inc = exact(i.completion.increment);
    if (!inc || !inc.gt(0)) errors.push({ field: `${prefix}.completion.increment`, message: 'increment must be a positive number' });
    else rules.completion.increment = text(inc);
  }
  if (i.quorum !== undefined) {
    const q = exact(i.quorum);
    if (!q || q.isNegative() || q.gt(1)) errors.push({ field: `${prefix}.quorum`, message: 'quorum must be a share between 0 and 1' });
    else rules.quorum = text(q);
  }
  if (rules.votingMethod === 'equal-shares' && rules.ballotType !== 'approval') {
    errors.push({
      field: `${prefix}.votingMethod`,
      message: `votingMethod equal-shares counts approval ballots; with ${rules.ballotType} ballots use greedy`,
    });
  }

  const hourRates = i.rates?.machineHour;
  if (hourRates !== undefined) {
    for (const [key, value] of Object.entries(hourRates)) {
      const field = `${prefix}.rates.machineHour.${key}`;
      const process = canonicalProcess(key);
      const rate = exact(value);
      if (!process) errors.push({ field, message: `unknown process "${key}"` });
      else if (!rate || rate.isNegative()) errors.push({ field, message: 'rate must be a non-negative number' });
      else rules.rates.machineHour[process] = text(rate);
    }
  }
  const materialRates = i.rates?.material;
  if (materialRates !== undefined) {
    for (const [key, value] of Object.entries(materialRates)) {
      const field = `${prefix}.rates.material.${key}`;
      const material = canonicalMaterial(key);
      if (!material) {
        errors.push({ field, message: `unknown material "${key}"` });
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push({ field, message: 'must be { unit, rate }' });
        continue;
      }
      const extra = Object.keys(value).filter((k) => k !== 'unit' && k !== 'rate');
      const unit = typeof value.unit === 'string' ? canonicalUnit(value.unit) : undefined;
      const rate = exact(value.rate);
      if (extra.length) errors.push({ field, message: `unknown field ${extra.join(', ')}` });
      else if (!unit) errors.push({ field: `${field}.unit`, message: `unknown unit "${String(value.unit)}"` });
      else if (!rate || rate.isNegative()) errors.push({ field: `${field}.rate`, message: 'rate must be a non-negative number' });
      else rules.rates.material[material] = { unit, rate: text(rate) } satisfies MaterialRate;
    }
  }
  return { rules, errors };
}

/** Exact decimal or fraction text (or a finite JS number, read through its shortest decimal form). */
export function exact(value: unknown): Rational | undefined {
  try {
    if (typeof value === 'number') return Number.isFinite(value) ? Rational.fromDecimalString(String(value)) : undefined;
    if (typeof value === 'string') return Rational.fromDecimalString(value);
  } catch {
    return undefined;
  }
  return undefined;
}

/** Decimal text when it terminates ("12.5"), else the fraction ("1/3"). */
export function text(r: Rational): string {
  return r.toDecimalString() ?? r.toString();
}
