import type { Candidate } from './election.js';

/**
 * How equal candidates are ordered. The default, `'id'`, is pabutools' `lexico_tie_breaking`
 * (sort by project name, i.e. the Pabulib project_id, as Python compares strings: by code point).
 * `'cost-asc'` / `'cost-desc'` fall back to the id; `{ order }` is a priority list fixed before the
 * count (e.g. drawn publicly), ids not in it come after, by id.
 */
export type TieBreak = 'id' | 'cost-asc' | 'cost-desc' | { order: readonly string[] };

/**
 * Code-point order, like Python's `str <`. JavaScript's `<` compares UTF-16 code units, which
 * disagrees for characters outside the BMP; a tally must not depend on that.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

export function tieBreakComparator(tieBreak: TieBreak = 'id'): (a: Candidate, b: Candidate) => number {
  const byId = (a: Candidate, b: Candidate) => compareCodePoints(a.id, b.id);
  if (tieBreak === 'id') return byId;
  if (tieBreak === 'cost-asc') return (a, b) => a.cost.compare(b.cost) || byId(a, b);
  if (tieBreak === 'cost-desc') return (a, b) => b.cost.compare(a.cost) || byId(a, b);
  const position = new Map<string, number>();
  tieBreak.order.forEach((id, i) => {
    if (!position.has(id)) position.set(id, i);
  });
  return (a, b) => {
    const pa = position.get(a.id);
    const pb = position.get(b.id);
    if (pa !== undefined && pb !== undefined) return pa - pb;
    if (pa !== undefined) return -1;
    if (pb !== undefined) return 1;
    return byId(a, b);
  };
}

export function describeTieBreak(tieBreak: TieBreak = 'id'): string {
  if (tieBreak === 'id') return 'by project id (code-point order), as pabutools lexico_tie_breaking';
  if (tieBreak === 'cost-asc') return 'cheaper first, then by project id';
  if (tieBreak === 'cost-desc') return 'more expensive first, then by project id';
  return `by the declared priority list (${tieBreak.order.length} ids), then by project id`;
}
