import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Real sample data (see /work/shared/data/README.md), resolved from the repo root Jest runs in. */
export function readData(relative: string): string {
  return readFileSync(path.resolve(process.cwd(), 'data', relative), 'utf8');
}

/** Deterministic shuffle (mulberry32-driven Fisher–Yates) for order-independence tests. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
