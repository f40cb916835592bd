import { describe, expect, it } from '@jest/globals';
import { placementWindow } from './placement-window.js';

const now = new Date('2026-11-24T10:00:00.000Z');
const period = { from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' };

describe('where a funded request may be reserved', () => {
  it('a direct request: from now to its needBy', () => {
    expect(placementWindow(now, '2026-12-20T00:00:00Z')).toEqual({ ok: true, notBefore: now.toISOString(), deadline: '2026-12-20T00:00:00.000Z' });
  });

  it('a round-funded request: inside the round period, not before it starts nor after it ends', () => {
    expect(placementWindow(now, '2026-12-20T00:00:00Z', period)).toEqual({ ok: true, notBefore: period.from, deadline: period.to });
  });

  it('a period under way starts now; a needBy inside the period ends it early', () => {
    const during = new Date('2026-12-01T06:00:00.000Z');
    expect(placementWindow(during, '2026-12-01T18:00:00Z', period)).toEqual({ ok: true, notBefore: during.toISOString(), deadline: '2026-12-01T18:00:00.000Z' });
  });

  it('refuses, with the reason, a period already over', () => {
    const w = placementWindow(new Date('2026-12-03T00:00:00Z'), '2026-12-20T00:00:00Z', period);
    expect(w).toEqual({ ok: false, reason: expect.stringContaining('ended before the reservations were placed') });
    expect(!w.ok && w.reason).toContain('from 2026-12-01T00:00:00.000Z to 2026-12-02T00:00:00.000Z');
  });

  it('refuses a request needed before the period starts', () => {
    expect(placementWindow(now, '2026-11-30T00:00:00Z', period)).toEqual({ ok: false, reason: expect.stringContaining('needed by 2026-11-30T00:00:00.000Z, before it starts') });
  });

  it('refuses a needBy already past, and a malformed period', () => {
    expect(placementWindow(now, '2026-11-20T00:00:00Z')).toEqual({ ok: false, reason: expect.stringContaining('needed by 2026-11-20') });
    expect(placementWindow(now, '2026-12-20T00:00:00Z', { from: 'soon', to: period.to }).ok).toBe(false);
    expect(placementWindow(now, '2026-12-20T00:00:00Z', { from: period.to, to: period.from }).ok).toBe(false);
  });
});
