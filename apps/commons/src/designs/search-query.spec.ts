import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor, parseSearch } from './search-query.js';

const ID = '0b8f3c2e-1a2b-4c3d-8e9f-0123456789ab';

describe('parseSearch', () => {
  it('expands a process to its sub-processes and canonicalises names', () => {
    const r = parseSearch({ process: '3D printing', material: 'PLA filament', license: 'CERN OHL v1.2' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.query.processes).toEqual(expect.arrayContaining(['3d-printing', '3d-printing.fdm', '3d-printing.sla']));
    expect(r.query.material).toBe('pla');
    expect(r.query.license).toBe('CERN-OHL-1.2');
    expect(r.query.limit).toBe(20);
    expect(r.query.verifiedOnly).toBe(false);
  });

  it('a leaf process is only itself', () => {
    const r = parseSearch({ process: '3d-printing.sla' });
    if (!r.ok) throw new Error('expected ok');
    expect(r.query.processes).toEqual(['3d-printing.sla']);
  });

  it('names every unknown filter', () => {
    const r = parseSearch({ process: 'telekinesis', material: 'unobtainium', limit: 1000 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual(['process', 'material', 'limit']);
  });

  it('treats a blank text query as none', () => {
    const r = parseSearch({ q: '   ' });
    expect(r.ok && r.query.text).toBeFalsy();
  });

  it('accepts its own cursor and refuses it for other filters or the other order', () => {
    const first = parseSearch({ q: 'clamp', process: 'laser-cutting' });
    if (!first.ok) throw new Error('expected ok');
    const cursor = encodeCursor(first.query.fingerprint, { order: 'rank', rank: '0.0607927', id: ID });
    const again = parseSearch({ q: 'clamp', process: 'laser-cutting', cursor });
    expect(again.ok && again.query.after).toEqual({ order: 'rank', rank: '0.0607927', id: ID });
    expect(parseSearch({ q: 'clamp', cursor }).ok).toBe(false);
    expect(parseSearch({ process: 'laser-cutting', cursor }).ok).toBe(false);
  });

  it.each(['', 'not-base64!', Buffer.from('{"f":"x","i":"nope","r":"1"}').toString('base64url'), Buffer.from('[1]').toString('base64url')])(
    'refuses the damaged cursor %p',
    (cursor) => {
      expect(decodeCursor(cursor)).toBeUndefined();
    },
  );

  it('round-trips a recency cursor with microseconds', () => {
    const position = { order: 'recent' as const, createdAt: '2025-11-24T10:00:00.123456Z', id: ID };
    expect(decodeCursor(encodeCursor('abc', position))).toEqual({ fingerprint: 'abc', position });
  });
});
