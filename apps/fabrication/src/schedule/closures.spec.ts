import { describe, expect, it } from '@jest/globals';
import { closedUntil, closureInterval } from './closures.js';

describe('closureInterval', () => {
  it.each([
    ['dates are whole local days, end inclusive', { from: '2026-11-01', to: '2026-11-30' }, 'Europe/Paris', '2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z'],
    ['a local date-time has the zone of the unit', { from: '2026-07-01T12:00', to: '2026-07-01T18:00' }, 'Europe/Paris', '2026-07-01T10:00:00.000Z', '2026-07-01T16:00:00.000Z'],
    ['an explicit offset wins', { from: '2026-07-01T12:00:00Z', to: '2026-07-01T18:00:00+02:00' }, 'Asia/Tokyo', '2026-07-01T12:00:00.000Z', '2026-07-01T16:00:00.000Z'],
  ])('%s', (_n, closure, zone, start, end) => {
    const i = closureInterval(closure, zone);
    expect([i.start.toISOString(), i.end.toISOString()]).toEqual([start, end]);
  });
  it('throws RangeError on an unreadable date', () => {
    expect(() => closureInterval({ from: 'next week', to: '2026-01-01' }, 'UTC')).toThrow(RangeError);
  });
});

describe('closedUntil', () => {
  const closures = [
    { from: '2026-11-01', to: '2026-11-15', reason: 'renovation' },
    { from: '2026-11-16', to: '2026-11-30', reason: 'more renovation' },
    { from: '2026-12-24T12:00:00Z', to: '2026-12-27T00:00:00Z' },
  ];
  it.each([
    ['inside back-to-back closures: the end of the last one', '2026-11-10T12:00:00Z', '2026-12-01T00:00:00.000Z'],
    ['at the very start', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00.000Z'],
    ['at the exclusive end: open again', '2026-12-01T00:00:00Z', null],
    ['before any closure', '2026-10-01T00:00:00Z', null],
    ['inside an instant closure', '2026-12-25T00:00:00Z', '2026-12-27T00:00:00.000Z'],
  ])('%s', (_n, now, expected) => {
    expect(closedUntil(closures, new Date(now))?.toISOString() ?? null).toBe(expected);
  });
  it('reads dates in the given timezone', () => {
    expect(closedUntil([{ from: '2026-11-01', to: '2026-11-30' }], new Date('2026-11-30T23:30:00Z'), 'Europe/Paris')).toBeNull();
    expect(closedUntil([{ from: '2026-11-01', to: '2026-11-30' }], new Date('2026-11-30T22:30:00Z'), 'Europe/Paris')?.toISOString()).toBe('2026-11-30T23:00:00.000Z');
  });
});
