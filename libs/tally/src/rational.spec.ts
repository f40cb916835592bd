import { describe, expect, it } from '@jest/globals';
import { Rational, compare, fromDecimalString, gcd, lcm, max, min } from './rational.js';

const r = Rational.of;

describe('Rational', () => {
  it('normalises: sign on the numerator, lowest terms, one zero', () => {
    expect(r(6, -4)).toEqual(r(-3, 2));
    expect(r(6, -4).num).toBe(-3n);
    expect(r(6, -4).den).toBe(2n);
    expect(r(0, -7)).toBe(Rational.ZERO);
    expect(() => r(1, 0)).toThrow(RangeError);
    expect(() => r(0.5)).toThrow(RangeError);
  });

  it('adds, subtracts, multiplies and divides exactly', () => {
    expect(r(1, 3).add(r(1, 6))).toEqual(r(1, 2));
    expect(r(1, 3).sub(r(1, 2))).toEqual(r(-1, 6));
    expect(r(2, 3).mul(r(9, 4))).toEqual(r(3, 2));
    expect(r(2, 3).div(r(4, 9))).toEqual(r(3, 2));
    expect(() => r(1).div(0)).toThrow(RangeError);
    // 0.1 + 0.2 is exactly 0.3 here
    expect(fromDecimalString('0.1').add('0.2').equals('0.3')).toBe(true);
  });

  it('compares by cross-multiplication and picks min / max', () => {
    expect(compare(r(1, 3), r(2, 6))).toBe(0);
    expect(compare(r(-1, 2), r(1, 3))).toBe(-1);
    expect(r(7, 3).gt(2)).toBe(true);
    expect(min(r(1, 2), r(1, 3), r(2, 3))).toEqual(r(1, 3));
    expect(max(r(1, 2), r(1, 3), r(2, 3))).toEqual(r(2, 3));
  });

  it.each([
    ['12', 12n, 1n],
    ['-3.25', -13n, 4n],
    ['1e3', 1000n, 1n],
    ['2.5E-2', 1n, 40n],
    ['1,5', 3n, 2n],
    ['  7/21 ', 1n, 3n],
    ['.5', 1n, 2n],
    ['0005.500', 11n, 2n],
  ])('parses %j', (text, num, den) => {
    const v = fromDecimalString(text);
    expect([v.num, v.den]).toEqual([num, den]);
  });

  it.each(['', 'abc', '1.2.3', '--1', '1/0', 'NaN', 'Infinity', '.'])('rejects %j', (text) => {
    expect(() => fromDecimalString(text)).toThrow();
  });

  it('prints canonical text, exact decimals and rounded displays', () => {
    expect(r(-3, 4).toString()).toBe('-3/4');
    expect(r(5).toString()).toBe('5');
    expect(r(5, 8).toDecimalString()).toBe('0.625');
    expect(r(-1, 20).toDecimalString()).toBe('-0.05');
    expect(r(1, 3).toDecimalString()).toBeUndefined();
    expect(r(2, 3).toFixed(3)).toBe('0.667');
    expect(r(-2, 3).toFixed(2)).toBe('-0.67');
    expect(r(1, 3).toNumber()).toBeCloseTo(0.3333, 4);
    expect(JSON.stringify({ x: r(1, 2) })).toBe('{"x":"1/2"}');
    expect(r(-7, 2).floor()).toBe(-4n);
  });

  it('gcd and lcm', () => {
    expect(gcd(12n, -18n)).toBe(6n);
    expect(lcm(4n, 6n)).toBe(12n);
  });
});
