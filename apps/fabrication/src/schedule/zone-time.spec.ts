import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { WEEKDAYS, type WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import { availableIntervals, parseClock } from './opening-hours.js';
import { normalizeIntervals } from './free-time.js';
import { offsetMinutes, utcToWall, wallToUtc } from './zone-time.js';

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns', // −3:30, DST
  'Australia/Lord_Howe', // +10:30, a 30-minute DST shift
  'Pacific/Chatham', // +12:45, DST
  'Asia/Kathmandu', // +5:45
  'America/Santiago', // southern-hemisphere DST, changes at midnight
];

describe('offsets and wall time', () => {
  it.each([
    ['Europe/Paris', '2026-01-15T12:00:00Z', 60],
    ['Europe/Paris', '2026-07-15T12:00:00Z', 120],
    ['America/St_Johns', '2026-01-15T12:00:00Z', -210],
    ['Asia/Kathmandu', '2026-01-15T12:00:00Z', 345],
  ])('%s at %s: %d min', (zone, iso, minutes) => {
    expect(offsetMinutes(zone, Date.parse(iso))).toBe(minutes);
    expect(utcToWall(Date.parse(iso), zone) - Date.parse(iso)).toBe(minutes * 60_000);
  });

  it.each([
    // 2026-03-29 02:30 does not exist in Berlin: it moves on by the gap, to 03:30 CEST.
    ['Europe/Berlin', '2026-03-29T02:30:00', '2026-03-29T01:30:00.000Z'],
    ['Europe/Berlin', '2026-03-29T03:00:00', '2026-03-29T01:00:00.000Z'],
    ['Europe/Berlin', '2026-10-25T04:00:00', '2026-10-25T03:00:00.000Z'],
    ['America/St_Johns', '2026-07-01T09:00:00', '2026-07-01T11:30:00.000Z'],
  ])('%s wall %s is %s', (zone, wall, iso) => {
    expect(new Date(wallToUtc(Date.parse(`${wall}Z`), zone)).toISOString()).toBe(iso);
  });

  it('throws RangeError on an unknown zone', () => {
    expect(() => offsetMinutes('Nowhere/City', 0)).toThrow(RangeError);
  });
});

/** The straightforward luxon version: one DateTime per opening. The fast path must agree. */
function reference(schedule: WeeklySchedule, zone: string, from: Date, to: Date) {
  const out: { start: Date; end: Date }[] = [];
  let day = DateTime.fromJSDate(from, { zone }).startOf('day').minus({ days: 1 });
  while (day.toMillis() < to.getTime()) {
    for (const span of schedule[WEEKDAYS[day.weekday - 1]] ?? []) {
      const o = parseClock(span.open);
      let c = parseClock(span.close);
      if (c <= o) c += 1440;
      const at = (m: number) => (m >= 1440 ? day.plus({ days: 1 }) : day).set({ hour: Math.floor((m % 1440) / 60), minute: m % 60 }).toMillis();
      const s = Math.max(at(o), from.getTime());
      const e = Math.min(at(c), to.getTime());
      if (e > s) out.push({ start: new Date(s), end: new Date(e) });
    }
    day = day.plus({ days: 1 });
  }
  return normalizeIntervals(out);
}

describe('availableIntervals agrees with a per-day luxon computation', () => {
  // Times in 01:00–03:59 are left out: on fall-back nights they happen twice, and luxon's
  // pick between the two depends on the current date.
  const clock = (q: number) => {
    const hours = [0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
    return `${String(hours[Math.floor(q / 4) % hours.length]).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;
  };
  let seed = 7;
  const rand = (n: number) => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);

  it.each(ZONES)('%s, 2026, random schedules', (zone) => {
    for (let k = 0; k < 5; k++) {
      const schedule: WeeklySchedule = {};
      for (const d of WEEKDAYS) {
        if (rand(3) === 0) continue;
        schedule[d] = [{ open: clock(rand(84)), close: clock(rand(84)) }];
      }
      const from = new Date(Date.UTC(2026, 0, 1) + rand(1000) * 3_600_000);
      const to = new Date(Date.UTC(2027, 0, 1));
      const fast = availableIntervals(schedule, zone, [], from, to);
      expect(fast).toEqual(reference(schedule, zone, from, to));
    }
  });
});
