/**
 * Interval arithmetic on half-open [start, end) intervals. Every function returns intervals
 * sorted, disjoint and non-empty (touching intervals are merged), so the results chain.
 * All of it is linear after one sort: the engine runs it per machine over thousands of
 * machines.
 */
import type { Interval } from '#libs/contracts/src/fabrication/schedule.js';

export type { Interval };

const MINUTE_MS = 60_000;

/** Sorted, disjoint, non-empty; overlapping and touching intervals merged. */
export function normalizeIntervals(intervals: readonly Interval[]): Interval[] {
  const list = intervals
    .filter((i) => i.end.getTime() > i.start.getTime())
    .sort((x, y) => x.start.getTime() - y.start.getTime());
  const out: Interval[] = [];
  for (const i of list) {
    const last = out[out.length - 1];
    if (last && i.start.getTime() <= last.end.getTime()) {
      if (i.end.getTime() > last.end.getTime()) last.end = i.end;
    } else {
      out.push({ start: i.start, end: i.end });
    }
  }
  return out;
}

/** `a` minus `b`: the parts of `a` not covered by any interval of `b`. */
export function subtractIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const from = normalizeIntervals(a);
  const cut = normalizeIntervals(b);
  const out: Interval[] = [];
  let j = 0;
  for (const i of from) {
    let start = i.start.getTime();
    const end = i.end.getTime();
    // cut intervals ending before this one can never matter again: both lists are sorted.
    while (j < cut.length && cut[j].end.getTime() <= start) j++;
    let k = j;
    while (k < cut.length && cut[k].start.getTime() < end) {
      const cs = cut[k].start.getTime();
      const ce = cut[k].end.getTime();
      if (cs > start) out.push({ start: new Date(start), end: new Date(cs) });
      start = Math.max(start, ce);
      if (start >= end) break;
      k++;
    }
    if (start < end) out.push({ start: new Date(start), end: new Date(end) });
  }
  return out;
}

/** Opening hours minus reservations: when a machine can take new work. */
export function freeIntervals(available: readonly Interval[], reservations: readonly Interval[]): Interval[] {
  return subtractIntervals(available, reservations);
}

/** The parts of `intervals` inside [from, to). Expects normalized input. */
export function clipIntervals(intervals: readonly Interval[], from: Date, to: Date): Interval[] {
  const lo = from.getTime();
  const hi = to.getTime();
  const out: Interval[] = [];
  for (let k = firstEndingAfter(intervals, lo); k < intervals.length; k++) {
    const s = Math.max(intervals[k].start.getTime(), lo);
    const e = Math.min(intervals[k].end.getTime(), hi);
    if (intervals[k].start.getTime() >= hi) break;
    if (e > s) out.push({ start: new Date(s), end: new Date(e) });
  }
  return out;
}

/** Total length in minutes (fractional). Expects disjoint intervals. */
export function sumMinutes(intervals: readonly Interval[]): number {
  let ms = 0;
  for (const i of intervals) ms += Math.max(0, i.end.getTime() - i.start.getTime());
  return ms / MINUTE_MS;
}

/** Free minutes inside [from, to) without building the clipped list. Expects normalized input. */
export function minutesBetween(intervals: readonly Interval[], from: Date, to: Date): number {
  const lo = from.getTime();
  const hi = to.getTime();
  let ms = 0;
  for (let k = firstEndingAfter(intervals, lo); k < intervals.length; k++) {
    const s = Math.max(intervals[k].start.getTime(), lo);
    if (s >= hi) break;
    ms += Math.min(intervals[k].end.getTime(), hi) - s;
  }
  return ms / MINUTE_MS;
}

/**
 * The first `minutesNeeded` minutes of free time from `notBefore` on. A job pauses when the
 * unit closes and resumes when it reopens, so it may span several intervals. Null when the
 * free time runs out first, or when the job would end after `deadline`. Expects normalized
 * input (as every function here returns).
 */
export function earliestSlots(
  free: readonly Interval[],
  minutesNeeded: number,
  notBefore: Date,
  deadline?: Date,
): { slots: Interval[]; completion: Date } | null {
  const r = earliestSlotsMs(free, minutesNeeded, notBefore.getTime(), deadline?.getTime());
  if (!r) return null;
  const slots: Interval[] = [];
  for (let k = 0; k < r.slots.length; k += 2) slots.push({ start: new Date(r.slots[k]), end: new Date(r.slots[k + 1]) });
  return { slots, completion: new Date(r.completion) };
}

/**
 * earliestSlots in epoch milliseconds, slots as a flat [start, end, start, end, …] list: the
 * engine's hot path, where allocating Dates was most of the cost.
 */
export function earliestSlotsMs(
  free: readonly Interval[],
  minutesNeeded: number,
  notBefore: number,
  deadline: number = Number.POSITIVE_INFINITY,
): { slots: number[]; completion: number } | null {
  if (!(minutesNeeded > 0)) return notBefore <= deadline ? { slots: [], completion: notBefore } : null;
  let remaining = minutesNeeded * MINUTE_MS;
  const slots: number[] = [];
  for (let k = firstEndingAfter(free, notBefore); k < free.length; k++) {
    const start = free[k].start.getTime();
    const s = start > notBefore ? start : notBefore;
    if (s >= deadline) return null;
    const take = Math.min(free[k].end.getTime() - s, remaining);
    if (take <= 0) continue;
    slots.push(s, s + take);
    remaining -= take;
    if (remaining <= 0) return s + take <= deadline ? { slots, completion: s + take } : null;
  }
  return null;
}

/**
 * When `minutesNeeded` minutes of work started at `notBefore` would complete (epoch ms), or
 * null when that is after `deadline` or the free time runs out. earliestSlots without
 * building the slots: the engine asks this of every candidate machine and builds the slots
 * of the winner only.
 */
export function earliestCompletion(
  free: readonly Interval[],
  minutesNeeded: number,
  notBefore: Date,
  deadline?: Date | number,
): number | null {
  const lo = notBefore.getTime();
  const hi = deadline === undefined ? Number.POSITIVE_INFINITY : typeof deadline === 'number' ? deadline : deadline.getTime();
  if (!(minutesNeeded > 0)) return lo <= hi ? lo : null;
  let remaining = minutesNeeded * MINUTE_MS;
  for (let k = firstEndingAfter(free, lo); k < free.length; k++) {
    const start = free[k].start.getTime();
    const s = start > lo ? start : lo;
    if (s >= hi) return null;
    const span = free[k].end.getTime() - s;
    if (span >= remaining) return s + remaining <= hi ? s + remaining : null;
    remaining -= span;
  }
  return null;
}

/** Index of the first interval ending after `t` (binary search: intervals are sorted). */
function firstEndingAfter(intervals: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (intervals[mid].end.getTime() <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
