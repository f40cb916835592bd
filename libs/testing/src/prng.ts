/**
 * Deterministic randomness for the demo, the benchmarks and tests: every choice (which labs
 * get which machines, who votes for what, which job fails) comes from a seed and the names of
 * the things chosen, so two runs with the same seed on the same data make the same choices,
 * whatever order the server answers in. Math.random is never used.
 */

/** FNV-1a, 32 bits: a stable number for a string. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough to pick machines and ballots. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next01: () => number;

  constructor(seed: number) {
    this.next01 = mulberry32(seed);
  }

  /** [0, 1) */
  next(): number {
    return this.next01();
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** A number in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }
}

/** A generator for one named thing: the same seed and keys always give the same sequence. */
export function rngFor(seed: number, ...keys: string[]): Rng {
  return new Rng(hashString(`${seed}\u0000${keys.join('\u0000')}`));
}

/** Orders items by a seeded hash of their key: a stable shuffle that ignores input order. */
export function seededOrder<T>(items: readonly T[], key: (item: T) => string, seed: number, salt = ''): T[] {
  return [...items]
    .map((item) => ({ item, k: key(item), h: hashString(`${seed}\u0000${salt}\u0000${key(item)}`) }))
    .sort((a, b) => a.h - b.h || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.item);
}
