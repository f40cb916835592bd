import { describe, expect, it } from '@jest/globals';
import {
  clipIntervals,
  earliestSlots,
  freeIntervals,
  minutesBetween,
  normalizeIntervals,
  subtractIntervals,
  sumMinutes,
  type Interval,
} from './free-time.js';

/** Minutes after 2026-03-02T00:00Z (a Monday) → Date: keeps the tables readable. */
const T0 = Date.UTC(2026, 2, 2);
const t = (min: number) => new Date(T0 + min * 60_000);
const iv = (...pairs: [number, number][]): Interval[] => pairs.map(([s, e]) => ({ start: t(s), end: t(e) }));
const mins = (list: Interval[]) => list.map((i) => [(i.start.getTime() - T0) / 60_000, (i.end.getTime() - T0) / 60_000]);

describe('normalizeIntervals', () => {
  it.each<[string, [number, number][], number[][]]>([
    ['empty', [], []],
    ['sorts', [[50, 60], [0, 10]], [[0, 10], [50, 60]]],
    ['merges overlaps', [[0, 30], [20, 40]], [[0, 40]]],
    ['merges touching (half-open)', [[0, 10], [10, 20]], [[0, 20]]],
    ['drops empty and inverted', [[5, 5], [9, 3], [0, 1]], [[0, 1]]],
    ['contained', [[0, 100], [10, 20]], [[0, 100]]],
  ])('%s', (_n, input, expected) => {
    expect(mins(normalizeIntervals(iv(...input)))).toEqual(expected);
  });
});

describe('subtractIntervals / freeIntervals', () => {
  it.each<[string, [number, number][], [number, number][], number[][]]>([
    ['nothing to cut', [[0, 60]], [], [[0, 60]]],
    ['cut in the middle', [[0, 60]], [[20, 30]], [[0, 20], [30, 60]]],
    ['cut the start', [[0, 60]], [[-10, 15]], [[15, 60]]],
    ['cut the end', [[0, 60]], [[45, 90]], [[0, 45]]],
    ['cut everything', [[0, 60]], [[0, 60]], []],
    ['touching cut leaves all', [[0, 60]], [[60, 70], [-5, 0]], [[0, 60]]],
    ['one cut across two intervals', [[0, 60], [120, 180]], [[30, 150]], [[0, 30], [150, 180]]],
    ['many cuts in one', [[0, 100]], [[10, 20], [30, 40], [50, 60]], [[0, 10], [20, 30], [40, 50], [60, 100]]],
    ['unsorted, overlapping input', [[120, 180], [0, 60], [30, 90]], [[80, 130], [85, 95]], [[0, 80], [130, 180]]],
  ])('%s', (_n, a, b, expected) => {
    expect(mins(subtractIntervals(iv(...a), iv(...b)))).toEqual(expected);
    expect(mins(freeIntervals(iv(...a), iv(...b)))).toEqual(expected);
  });

  it('subtracts 10,000 reservations from 10,000 intervals', () => {
    const a = iv(...Array.from({ length: 10_000 }, (_, i) => [i * 100, i * 100 + 60] as [number, number]));
    const b = iv(...Array.from({ length: 10_000 }, (_, i) => [i * 100 + 20, i * 100 + 30] as [number, number]));
    const r = subtractIntervals(a, b);
    expect(r).toHaveLength(20_000);
    expect(sumMinutes(r)).toBe(10_000 * 50);
  });
});

describe('sumMinutes, clipIntervals, minutesBetween', () => {
  const free = iv([0, 60], [120, 180], [240, 300]);
  it.each<[number, number, number, number[][]]>([
    [0, 1000, 180, [[0, 60], [120, 180], [240, 300]]],
    [30, 150, 60, [[30, 60], [120, 150]]],
    [60, 120, 0, []],
    [-100, 10, 10, [[0, 10]]],
    [290, 400, 10, [[290, 300]]],
  ])('[%d, %d) → %d min', (from, to, total, clipped) => {
    expect(minutesBetween(free, t(from), t(to))).toBe(total);
    expect(mins(clipIntervals(free, t(from), t(to)))).toEqual(clipped);
    expect(sumMinutes(clipIntervals(free, t(from), t(to)))).toBe(total);
  });
  it('sums fractions of minutes', () => {
    expect(sumMinutes([{ start: t(0), end: new Date(T0 + 90_000) }])).toBe(1.5);
  });
});

describe('earliestSlots', () => {
  const free = iv([0, 60], [120, 180], [240, 300]);
  it.each<[string, number, number, number | undefined, number[][] | null, number | null]>([
    ['fits in the first interval', 30, 0, undefined, [[0, 30]], 30],
    ['exactly one interval', 60, 0, undefined, [[0, 60]], 60],
    ['pauses when the lab closes', 90, 0, undefined, [[0, 60], [120, 150]], 150],
    ['spans three intervals', 180, 0, undefined, [[0, 60], [120, 180], [240, 300]], 300],
    ['not enough free time', 181, 0, undefined, null, null],
    ['starts mid-interval at notBefore', 40, 30, undefined, [[30, 60], [120, 130]], 130],
    ['notBefore in a gap', 10, 90, undefined, [[120, 130]], 130],
    ['nothing needed', 0, 77, undefined, [], 77],
    ['meets the deadline exactly', 90, 0, 150, [[0, 60], [120, 150]], 150],
    ['misses the deadline', 90, 0, 149, null, null],
    ['deadline before notBefore stops at once', 10, 200, 100, null, null],
  ])('%s', (_n, minutes, notBefore, deadline, slots, completion) => {
    const r = earliestSlots(free, minutes, t(notBefore), deadline === undefined ? undefined : t(deadline));
    if (slots === null) expect(r).toBeNull();
    else {
      expect(mins(r!.slots)).toEqual(slots);
      expect(r!.completion).toEqual(t(completion!));
    }
  });
  it('handles fractional minutes', () => {
    const r = earliestSlots(free, 0.5, t(0))!;
    expect(r.completion.getTime() - T0).toBe(30_000);
  });
});
