/**
 * Exact fractions on BigInt. Every tally in this library is computed with these (or with plain
 * BigInt integers) so that a result can be recomputed bit for bit anywhere: floating point would
 * make ties and "does it still fit" decisions depend on rounding.
 *
 * Invariants: `den > 0`, `gcd(|num|, den) = 1`; zero is `0/1`.
 */
export type RationalLike = Rational | bigint | number | string;

export class Rational {
  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  /** `num/den`, normalised. Numbers must be safe integers: a float here would already be inexact. */
  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    const n = toBigInt(num);
    const d = toBigInt(den);
    if (d === 0n) throw new RangeError('Rational: zero denominator');
    return Rational.normalised(n, d);
  }

  /** Accepts a Rational, a bigint, a safe integer, or a string understood by `fromDecimalString`. */
  static from(value: RationalLike): Rational {
    if (value instanceof Rational) return value;
    if (typeof value === 'string') return Rational.fromDecimalString(value);
    return Rational.of(value);
  }

  /**
   * Parses "12", "-3.25", "1e3", "2.5E-2", "3/4" and, as Pabulib files sometimes do, a decimal comma
   * ("1,5"). Surrounding whitespace is ignored; anything else is an error rather than a guess.
   */
  static fromDecimalString(text: string): Rational {
    const s = text.trim();
    const fraction = /^([+-]?\d+)\s*\/\s*(\d+)$/.exec(s);
    if (fraction) return Rational.of(BigInt(fraction[1]), BigInt(fraction[2]));
    const m = /^([+-]?)(\d*)(?:[.,](\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
      throw new SyntaxError(`Rational: not a number: "${text}"`);
    }
    const sign = m[1] === '-' ? -1n : 1n;
    const intPart = m[2] || '0';
    const fracPart = m[3] ?? '';
    const exponent = m[4] ? Number.parseInt(m[4], 10) : 0;
    if (Math.abs(exponent) > 10_000) throw new RangeError(`Rational: exponent too large in "${text}"`);
    let num = BigInt(intPart + fracPart) * sign;
    let den = 10n ** BigInt(fracPart.length);
    if (exponent > 0) num *= 10n ** BigInt(exponent);
    if (exponent < 0) den *= 10n ** BigInt(-exponent);
    return Rational.normalised(num, den);
  }

  private static normalised(num: bigint, den: bigint): Rational {
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (num === 0n) return Rational.ZERO;
    const g = gcd(num < 0n ? -num : num, den);
    return g === 1n ? new Rational(num, den) : new Rational(num / g, den / g);
  }

  add(other: RationalLike): Rational {
    const o = Rational.from(other);
    if (this.den === o.den) return Rational.normalised(this.num + o.num, this.den);
    return Rational.normalised(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(other: RationalLike): Rational {
    const o = Rational.from(other);
    if (this.den === o.den) return Rational.normalised(this.num - o.num, this.den);
    return Rational.normalised(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  mul(other: RationalLike): Rational {
    const o = Rational.from(other);
    return Rational.normalised(this.num * o.num, this.den * o.den);
  }

  div(other: RationalLike): Rational {
    const o = Rational.from(other);
    if (o.num === 0n) throw new RangeError('Rational: division by zero');
    return Rational.normalised(this.num * o.den, this.den * o.num);
  }

  neg(): Rational {
    return new Rational(-this.num, this.den);
  }

  abs(): Rational {
    return this.num < 0n ? this.neg() : this;
  }

  /** -1, 0 or 1. Cross-multiplication: exact, no normalisation needed. */
  compare(other: RationalLike): -1 | 0 | 1 {
    const o = Rational.from(other);
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  equals(other: RationalLike): boolean {
    return this.compare(other) === 0;
  }

  lt(other: RationalLike): boolean {
    return this.compare(other) < 0;
  }

  lte(other: RationalLike): boolean {
    return this.compare(other) <= 0;
  }

  gt(other: RationalLike): boolean {
    return this.compare(other) > 0;
  }

  gte(other: RationalLike): boolean {
    return this.compare(other) >= 0;
  }

  isZero(): boolean {
    return this.num === 0n;
  }

  isNegative(): boolean {
    return this.num < 0n;
  }

  isInteger(): boolean {
    return this.den === 1n;
  }

  /** Largest integer ≤ this. */
  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  /** "7", "-3/4": the canonical text form, also what JSON serialisation uses. */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  toJSON(): string {
    return this.toString();
  }

  /**
   * Exact decimal text ("12.5") when the fraction terminates in base 10, else undefined. Used when
   * writing files that other tools read as decimals.
   */
  toDecimalString(): string | undefined {
    let d = this.den;
    let twos = 0;
    let fives = 0;
    while (d % 2n === 0n) {
      d /= 2n;
      twos++;
    }
    while (d % 5n === 0n) {
      d /= 5n;
      fives++;
    }
    if (d !== 1n) return undefined;
    const places = Math.max(twos, fives);
    if (places === 0) return this.num.toString();
    const scaled = (this.num * 10n ** BigInt(places)) / this.den;
    const negative = scaled < 0n;
    const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
    const text = `${digits.slice(0, -places)}.${digits.slice(-places)}`;
    return negative ? `-${text}` : text;
  }

  /** Rounded (half away from zero) to `places` decimals, for human-readable reports only. */
  toFixed(places: number): string {
    const factor = 10n ** BigInt(places);
    const scaledTwice = (this.num * factor * 2n) / this.den;
    const rounded = (scaledTwice + (scaledTwice < 0n ? -1n : 1n)) / 2n;
    const negative = rounded < 0n;
    const digits = (negative ? -rounded : rounded).toString().padStart(places + 1, '0');
    const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
    return negative && rounded !== 0n ? `-${text}` : text;
  }

  /** Approximate value for display and charts. Never feed it back into a tally. */
  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }

  static compare(a: RationalLike, b: RationalLike): -1 | 0 | 1 {
    return Rational.from(a).compare(b);
  }

  static min(first: RationalLike, ...rest: RationalLike[]): Rational {
    let best = Rational.from(first);
    for (const r of rest) if (best.compare(r) > 0) best = Rational.from(r);
    return best;
  }

  static max(first: RationalLike, ...rest: RationalLike[]): Rational {
    let best = Rational.from(first);
    for (const r of rest) if (best.compare(r) < 0) best = Rational.from(r);
    return best;
  }

  static sum(values: Iterable<RationalLike>): Rational {
    let total = Rational.ZERO;
    for (const v of values) total = total.add(v);
    return total;
  }
}

export const rational = Rational.of;

export function add(a: RationalLike, b: RationalLike): Rational {
  return Rational.from(a).add(b);
}
export function sub(a: RationalLike, b: RationalLike): Rational {
  return Rational.from(a).sub(b);
}
export function mul(a: RationalLike, b: RationalLike): Rational {
  return Rational.from(a).mul(b);
}
export function div(a: RationalLike, b: RationalLike): Rational {
  return Rational.from(a).div(b);
}
export function compare(a: RationalLike, b: RationalLike): -1 | 0 | 1 {
  return Rational.compare(a, b);
}
export function min(first: RationalLike, ...rest: RationalLike[]): Rational {
  return Rational.min(first, ...rest);
}
export function max(first: RationalLike, ...rest: RationalLike[]): Rational {
  return Rational.max(first, ...rest);
}
export function fromDecimalString(text: string): Rational {
  return Rational.fromDecimalString(text);
}

export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

export function lcm(a: bigint, b: bigint): bigint {
  if (a === 0n || b === 0n) return 0n;
  const g = gcd(a, b);
  const r = (a / g) * b;
  return r < 0n ? -r : r;
}

function toBigInt(value: bigint | number): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`Rational: ${value} is not a safe integer`);
  return BigInt(value);
}
