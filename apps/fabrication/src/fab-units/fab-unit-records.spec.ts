import { describe, expect, it } from '@jest/globals';
import type { FabUnitDraft } from '#libs/contracts/src/fabrication/fab-unit.js';
import { canonicalJson, draftOf, type MachineRecord, recordsOfDraft, type StockRecord, type UnitRecord } from './fab-unit-records.js';

const DRAFT: FabUnitDraft = {
  name: 'Fab Lab Lille',
  kind: 'fablab',
  status: 'Active',
  accessType: 'Public',
  location: { lat: 50.63, lon: 3.06, city: 'Lille', country: 'FR' },
  locatable: true,
  url: 'https://fablab-lille.example.org',
  contact: { email: 'hello@fablab-lille.example.org' },
  timezone: 'Europe/Paris',
  openingHours: { mon: [{ open: '09:00', close: '17:00' }] },
  machines: [
    { process: '3d-printing.fdm', make: 'Prusa', model: 'MK4', envelopeMm: { x: 250, y: 210, z: 220 }, materials: ['pla'], status: 'available', quantity: 3 },
    { process: '3d-printing.fdm', make: 'Prusa', model: 'MK4', envelopeMm: { x: 250, y: 210, z: 220 }, materials: ['pla'], status: 'available' },
    { process: 'laser-cutting', materials: [], status: 'maintenance', quantity: 1 },
  ],
  materials: [{ material: 'pla', quantity: 5, unit: 'kg' }, { material: 'plywood' }],
  source: { system: 'okw', id: 'lille-1' },
};

/** What the database gives back for rows written from a draft. */
function stored(draft: FabUnitDraft) {
  let n = 0;
  const { unit, machines, stock } = recordsOfDraft(draft, { unitId: 'u1', newId: () => `m${++n}`, createdBy: null });
  const unitRecord: UnitRecord = { ...unit, councilIds: [], createdAt: new Date(0), updatedAt: new Date(0) };
  const stockRecords: StockRecord[] = stock.map((s) => ({ ...s, held: 0 }));
  return { unit: unitRecord, machines: machines as MachineRecord[], stock: stockRecords };
}

describe('fab unit records', () => {
  it('stores an OKW entry of quantity n as n machines, each booked on its own', () => {
    const { machines } = stored(DRAFT);
    expect(machines.map((m) => m.process)).toEqual(['3d-printing.fdm', '3d-printing.fdm', '3d-printing.fdm', '3d-printing.fdm', 'laser-cutting']);
    expect(new Set(machines.map((m) => m.id)).size).toBe(5);
  });

  it('reads back the same draft: entries regrouped with their quantities, stock without quantity kept', () => {
    const { unit, machines, stock } = stored(DRAFT);
    expect(draftOf(unit, machines, stock)).toEqual(DRAFT);
  });

  it('splits an entry whose machines no longer look alike (one went to maintenance)', () => {
    const { unit, machines, stock } = stored(DRAFT);
    machines[1]!.status = 'maintenance';
    expect(draftOf(unit, machines, stock).machines!.map((m) => [m.status, m.quantity])).toEqual([
      ['available', 1],
      ['maintenance', 1],
      ['available', 1],
      ['available', undefined],
      ['maintenance', 1],
    ]);
  });

  it('compares data whatever the key order (jsonb reorders keys)', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(canonicalJson({ a: { d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });
});
