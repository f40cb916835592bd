import { describe, expect, it } from '@jest/globals';
import { hashString, Rng, rngFor, seededOrder } from './prng.js';

describe('demo randomness', () => {
  it('is the same for the same seed and keys, and differs otherwise', () => {
    const a = rngFor(1, 'ballot', 'member-3');
    const b = rngFor(1, 'ballot', 'member-3');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    const c = rngFor(2, 'ballot', 'member-3');
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    expect(hashString('Fab Lab Berlin|https://x')).toBe(hashString('Fab Lab Berlin|https://x'));
  });

  it('keeps its draws in range', () => {
    const r = new Rng(42);
    for (let i = 0; i < 1000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const n = r.int(3, 5);
      expect([3, 4, 5]).toContain(n);
      expect(r.between(0.2, 0.8)).toBeGreaterThanOrEqual(0.2);
    }
    expect(() => r.pick([])).toThrow(RangeError);
    const picks = new Set(Array.from({ length: 200 }, () => r.weighted([['a', 1], ['b', 0], ['c', 1]] as const)));
    expect(picks).toEqual(new Set(['a', 'c']));
  });

  it('orders by key, whatever order the items came in', () => {
    const items = ['lab a', 'lab b', 'lab c', 'lab d', 'lab e'];
    const one = seededOrder(items, (x) => x, 7);
    expect(seededOrder([...items].reverse(), (x) => x, 7)).toEqual(one);
    expect([...one].sort()).toEqual(items);
  });
});
