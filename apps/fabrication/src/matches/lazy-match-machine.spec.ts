import { describe, expect, it } from '@jest/globals';
import { LazyMatchMachine } from './lazy-match-machine.js';

const snapshot = {
  id: 'm1',
  process: '3d-printing.fdm',
  make: null,
  model: 'MK4',
  envelope: { x: 250, y: 210, z: 220 },
  materials: ['pla'],
  status: 'available' as const,
  hours: null,
};
const free = [{ start: new Date('2026-12-01T08:00:00Z'), end: new Date('2026-12-01T12:00:00Z') }];

describe('a machine whose free time is worked out when first asked', () => {
  it('works it out once, on first use', () => {
    let calls = 0;
    const m = new LazyMatchMachine(snapshot, () => (calls++, free));
    expect(calls).toBe(0);
    expect(m.freeIntervals).toBe(free);
    expect(m.freeIntervals).toBe(free);
    expect(calls).toBe(1);
  });

  it('never, when the engine does not ask (a unit failing a cheaper rule)', () => {
    let calls = 0;
    const m = new LazyMatchMachine(snapshot, () => (calls++, free));
    expect([m.id, m.process, m.status, m.materials]).toEqual(['m1', '3d-printing.fdm', 'available', ['pla']]);
    expect(calls).toBe(0);
  });

  it('leaves out what the unit did not say (no make) and keeps what it did', () => {
    const m = new LazyMatchMachine(snapshot, () => free);
    expect(m).not.toHaveProperty('make');
    expect(m.model).toBe('MK4');
    expect(m.envelopeMm).toEqual({ x: 250, y: 210, z: 220 });
    expect(new LazyMatchMachine({ ...snapshot, envelope: null }, () => free)).not.toHaveProperty('envelopeMm');
  });
});
