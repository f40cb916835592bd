import { describe, expect, it } from '@jest/globals';
import { isoUtc } from './iso-utc.js';

describe('isoUtc', () => {
  it.each([
    0,
    -1,
    951_782_400_000, // 2000-02-29
    1_709_164_800_000, // 2024-02-29
    4_107_542_400_000, // 2100-03-01 (not a leap year)
    253_402_300_799_999, // 9999-12-31T23:59:59.999Z
    -62_167_219_200_000, // 0000-01-01
    -62_167_219_200_001, // before year 0: delegated
    253_402_300_800_000, // year 10000: delegated
  ])('%d as toISOString writes it', (ms) => {
    expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
  });

  it('agrees with toISOString on 100,000 random instants', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 100_000; i++) {
      const ms = Math.floor((rand() - 0.3) * 8e12);
      if (isoUtc(ms) !== new Date(ms).toISOString()) throw new Error(`${ms}: ${isoUtc(ms)}`);
    }
  });
});
