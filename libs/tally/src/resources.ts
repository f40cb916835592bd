import { Rational, type RationalLike } from './rational.js';
import { compareCodePoints } from './tie-break.js';

/**
 * Scarce resources beside money: machine minutes per process, material quantities… A council
 * declares a limit per resource; a candidate lists what it would consume. Resources with no
 * declared limit are not scarce and never block a candidate.
 */
export type ResourceVector = Readonly<Record<string, Rational>>;
export type ResourceLimits = Readonly<Record<string, Rational>>;

export interface ResourceShortfall {
  resource: string;
  needed: Rational;
  remaining: Rational;
}

export function toResourceVector(values: Readonly<Record<string, RationalLike>> | undefined): ResourceVector | undefined {
  if (!values) return undefined;
  const out: Record<string, Rational> = {};
  for (const [k, v] of Object.entries(values)) {
    const r = Rational.from(v);
    if (r.isNegative()) throw new RangeError(`resource "${k}": negative amount ${r}`);
    out[k] = r;
  }
  return out;
}

export class ResourceLedger {
  private readonly left = new Map<string, Rational>();

  constructor(limits: ResourceLimits | undefined) {
    for (const name of Object.keys(limits ?? {}).sort(compareCodePoints)) {
      const limit = limits![name];
      if (limit.isNegative()) throw new RangeError(`resource "${name}": negative limit ${limit}`);
      this.left.set(name, limit);
    }
  }

  get constrained(): boolean {
    return this.left.size > 0;
  }

  /**
   * Every limited resource the candidate needs more of than is left, in code-point order of the
   * resource name so that the one reported first does not depend on object key order.
   */
  shortfalls(needs: ResourceVector | undefined): ResourceShortfall[] {
    if (!needs || this.left.size === 0) return [];
    const out: ResourceShortfall[] = [];
    for (const [resource, remaining] of this.left) {
      const needed = needs[resource];
      if (needed !== undefined && needed.gt(remaining)) out.push({ resource, needed, remaining });
    }
    return out;
  }

  fits(needs: ResourceVector | undefined): boolean {
    return this.shortfalls(needs).length === 0;
  }

  take(needs: ResourceVector | undefined): void {
    if (!needs) return;
    for (const [resource, remaining] of this.left) {
      const needed = needs[resource];
      if (needed === undefined) continue;
      if (needed.gt(remaining)) throw new RangeError(`resource "${resource}" overdrawn`);
      this.left.set(resource, remaining.sub(needed));
    }
  }

  remaining(): Record<string, Rational> {
    return Object.fromEntries(this.left);
  }

  clone(): ResourceLedger {
    const copy = new ResourceLedger(undefined);
    for (const [k, v] of this.left) copy.left.set(k, v);
    return copy;
  }
}
