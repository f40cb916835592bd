import { describe, expect, it } from '@jest/globals';
import type { WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import { availableIntervals, formatOpeningHours, parseClock, parseOpeningHours } from './opening-hours.js';
import { sumMinutes } from './free-time.js';

const iso = (list: { start: Date; end: Date }[]) => list.map((i) => [i.start.toISOString(), i.end.toISOString()]);
const WEEKDAYS_9_17: WeeklySchedule = {
  mon: [{ open: '09:00', close: '17:00' }],
  tue: [{ open: '09:00', close: '17:00' }],
  wed: [{ open: '09:00', close: '17:00' }],
  thu: [{ open: '09:00', close: '17:00' }],
  fri: [{ open: '09:00', close: '17:00' }],
};

describe('availableIntervals', () => {
  it.each<[string, WeeklySchedule | undefined, string, string, string, string[][]]>([
    [
      'Berlin winter (UTC+1), one day',
      WEEKDAYS_9_17,
      'Europe/Berlin',
      '2026-01-05T00:00:00Z',
      '2026-01-06T00:00:00Z',
      [['2026-01-05T08:00:00.000Z', '2026-01-05T16:00:00.000Z']],
    ],
    [
      'Berlin summer (UTC+2), one day',
      WEEKDAYS_9_17,
      'Europe/Berlin',
      '2026-07-06T00:00:00Z',
      '2026-07-07T00:00:00Z',
      [['2026-07-06T07:00:00.000Z', '2026-07-06T15:00:00.000Z']],
    ],
    [
      // DST starts Sunday 2026-03-29 in the EU: Saturday is UTC+1, Monday UTC+2.
      'across the spring-forward weekend',
      { sat: [{ open: '10:00', close: '14:00' }], mon: [{ open: '10:00', close: '14:00' }] },
      'Europe/Berlin',
      '2026-03-28T00:00:00Z',
      '2026-03-31T00:00:00Z',
      [
        ['2026-03-28T09:00:00.000Z', '2026-03-28T13:00:00.000Z'],
        ['2026-03-30T08:00:00.000Z', '2026-03-30T12:00:00.000Z'],
      ],
    ],
    [
      // 00:00–04:00 local on the fall-back night is 5 real hours.
      'a night span over the fall-back hour',
      { sun: [{ open: '00:00', close: '04:00' }] },
      'Europe/Berlin',
      '2026-10-24T00:00:00Z',
      '2026-10-27T00:00:00Z',
      [['2026-10-24T22:00:00.000Z', '2026-10-25T03:00:00.000Z']],
    ],
    [
      'New York, clipped to the window',
      WEEKDAYS_9_17,
      'America/New_York',
      '2026-01-05T15:00:00Z',
      '2026-01-05T18:00:00Z',
      [['2026-01-05T15:00:00.000Z', '2026-01-05T18:00:00.000Z']],
    ],
    [
      'overnight span continues into the window',
      { sun: [{ open: '22:00', close: '06:00' }] },
      'UTC',
      '2026-01-05T00:00:00Z',
      '2026-01-06T00:00:00Z',
      [['2026-01-05T00:00:00.000Z', '2026-01-05T06:00:00.000Z']],
    ],
    [
      'back-to-back spans and 24:00 merge',
      { mon: [{ open: '00:00', close: '12:00' }, { open: '12:00', close: '24:00' }], tue: [{ open: '00:00', close: '02:00' }] },
      'UTC',
      '2026-01-05T00:00:00Z',
      '2026-01-07T00:00:00Z',
      [['2026-01-05T00:00:00.000Z', '2026-01-06T02:00:00.000Z']],
    ],
    ['no schedule: closed', undefined, 'Europe/Berlin', '2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z', []],
    ['no open day: closed', { mon: [] }, 'Europe/Berlin', '2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z', []],
    ['empty window', WEEKDAYS_9_17, 'UTC', '2026-01-05T12:00:00Z', '2026-01-05T12:00:00Z', []],
  ])('%s', (_n, schedule, zone, from, to, expected) => {
    expect(iso(availableIntervals(schedule, zone, [], new Date(from), new Date(to)))).toEqual(expected);
  });

  it('a Berlin week has 40 h open in winter and in summer', () => {
    for (const from of ['2026-01-05T00:00:00+01:00', '2026-07-06T00:00:00+02:00']) {
      const start = new Date(from);
      const end = new Date(start.getTime() + 7 * 86_400_000);
      expect(sumMinutes(availableIntervals(WEEKDAYS_9_17, 'Europe/Berlin', [], start, end))).toBe(40 * 60);
    }
  });

  it.each<[string, { from: string; to: string }[], string[][]]>([
    [
      'a whole-day closure (date, inclusive end) removes Tuesday and Wednesday',
      [{ from: '2026-01-06', to: '2026-01-07' }],
      [
        ['2026-01-05T08:00:00.000Z', '2026-01-05T16:00:00.000Z'],
        ['2026-01-08T08:00:00.000Z', '2026-01-08T16:00:00.000Z'],
        ['2026-01-09T08:00:00.000Z', '2026-01-09T16:00:00.000Z'],
      ],
    ],
    [
      'a local date-time closure (exclusive end) cuts Monday afternoon',
      [{ from: '2026-01-05T13:00', to: '2026-01-09T00:00' }],
      [
        ['2026-01-05T08:00:00.000Z', '2026-01-05T12:00:00.000Z'],
        ['2026-01-09T08:00:00.000Z', '2026-01-09T16:00:00.000Z'],
      ],
    ],
    [
      'a UTC instant closure',
      [{ from: '2026-01-05T00:00:00Z', to: '2026-01-09T10:00:00Z' }],
      [['2026-01-09T10:00:00.000Z', '2026-01-09T16:00:00.000Z']],
    ],
  ])('closures: %s', (_n, closures, expected) => {
    const r = availableIntervals(WEEKDAYS_9_17, 'Europe/Berlin', closures, new Date('2026-01-05T00:00:00Z'), new Date('2026-01-10T00:00:00Z'));
    expect(iso(r)).toEqual(expected);
  });

  it.each([
    ['unknown timezone', WEEKDAYS_9_17, 'Mars/Olympus'],
    ['malformed time', { mon: [{ open: '9am', close: '17:00' }] }, 'UTC'],
    ['opening at 24:00', { mon: [{ open: '24:00', close: '02:00' }] }, 'UTC'],
  ])('throws RangeError on %s', (_n, schedule, zone) => {
    expect(() => availableIntervals(schedule as WeeklySchedule, zone, [], new Date('2026-01-05'), new Date('2026-01-06'))).toThrow(RangeError);
  });
});

describe('parseClock', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('%s → %d', (s, m) => expect(parseClock(s)).toBe(m));
  it.each(['24:01', '9:00', '12:60', ''])('%s throws', (s) => expect(() => parseClock(s)).toThrow(RangeError));
});

describe('OSM-style opening hours text', () => {
  it.each<[string, WeeklySchedule | undefined]>([
    [
      'Mo-Fr 09:00-17:00; Sa 10:00-14:00',
      { ...WEEKDAYS_9_17, sat: [{ open: '10:00', close: '14:00' }] },
    ],
    ['Mo,We 9:00-12:00,13:00-17:00', {
      mon: [{ open: '09:00', close: '12:00' }, { open: '13:00', close: '17:00' }],
      wed: [{ open: '09:00', close: '12:00' }, { open: '13:00', close: '17:00' }],
    }],
    ['Mo-Su 10:00-18:00; Su off', {
      mon: [{ open: '10:00', close: '18:00' }], tue: [{ open: '10:00', close: '18:00' }], wed: [{ open: '10:00', close: '18:00' }],
      thu: [{ open: '10:00', close: '18:00' }], fri: [{ open: '10:00', close: '18:00' }], sat: [{ open: '10:00', close: '18:00' }],
    }],
    ['Fr-Mo 20:00-02:00', {
      mon: [{ open: '20:00', close: '02:00' }], fri: [{ open: '20:00', close: '02:00' }],
      sat: [{ open: '20:00', close: '02:00' }], sun: [{ open: '20:00', close: '02:00' }],
    }],
    ['10:00-16:00', Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '10:00', close: '16:00' }]]))],
    ['off', {}],
    ['by appointment', undefined],
    ['Mo-Fr 9-17', undefined],
    ['Xx 10:00-12:00', undefined],
    ['', undefined],
  ])('%j', (text, expected) => {
    expect(parseOpeningHours(text)).toEqual(expected);
  });

  it.each<[WeeklySchedule, string]>([
    [WEEKDAYS_9_17, 'Mo-Fr 09:00-17:00'],
    [{ ...WEEKDAYS_9_17, sat: [{ open: '10:00', close: '14:00' }] }, 'Mo-Fr 09:00-17:00; Sa 10:00-14:00'],
    [{ mon: [{ open: '09:00', close: '12:00' }], tue: [{ open: '09:00', close: '12:00' }], thu: [{ open: '09:00', close: '12:00' }] }, 'Mo,Tu 09:00-12:00; Th 09:00-12:00'],
    [Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]])), '24/7'],
    [{}, 'off'],
  ])('formats %j as %s and reads it back', (schedule, text) => {
    expect(formatOpeningHours(schedule)).toBe(text);
    expect(parseOpeningHours(text)).toEqual(schedule);
  });
});
