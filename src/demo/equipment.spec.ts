import { describe, expect, it } from '@jest/globals';
import { canonicalMaterial, canonicalProcess, canonicalUnit } from '#libs/taxonomy/src/index.js';
import { equipmentFor, HOURS_TEMPLATES, timezoneFor } from './equipment.js';

const lab = { key: 'FabLab Songpa|https://www.fablabs.io/labs/fablabsongpa', country: 'KR', lon: 127.1 };

describe('seeded equipment', () => {
  it('gives a lab the same machines, stock and hours for the same seed', () => {
    expect(equipmentFor(lab, 1)).toEqual(equipmentFor(lab, 1));
    const many = Array.from({ length: 40 }, (_, i) => JSON.stringify(equipmentFor({ ...lab, key: `lab ${i}` }, 1)));
    expect(new Set(many).size).toBeGreaterThan(20);
  });

  it('speaks the taxonomy: every process, material and unit is one the API accepts', () => {
    for (let i = 0; i < 60; i++) {
      const e = equipmentFor({ ...lab, key: `lab ${i}` }, 3);
      expect(e.machines.length).toBeGreaterThan(0);
      for (const m of e.machines) {
        expect(canonicalProcess(m.process)).toBe(m.process);
        for (const material of m.materials) expect(canonicalMaterial(material)).toBe(material);
      }
      for (const s of e.stock) {
        expect(canonicalMaterial(s.material)).toBe(s.material);
        expect(canonicalUnit(s.unit)).toBe(s.unit);
        expect(s.quantity).toBeGreaterThan(0);
      }
      expect(HOURS_TEMPLATES.map((t) => t.name)).toContain(e.hoursName);
    }
  });

  it('gives a council lab exactly one machine of each process of its role, the council hours and more stock', () => {
    const hours = { tue: [{ open: '10:00', close: '19:00' }] };
    const e = equipmentFor(lab, 1, { capabilities: ['fdm', 'cnc'], hoursName: 'council', openingHours: hours, timezone: 'Europe/Paris', stockFactor: 3 });
    const demo = e.machines.filter((m) => ['3d-printing.fdm', 'cnc-milling', 'laser-cutting', 'pcb-assembly', 'soldering'].includes(m.process));
    expect(demo.map((m) => [m.process, m.quantity ?? 1]).sort()).toEqual([
      ['3d-printing.fdm', 1],
      ['cnc-milling', 1],
    ]);
    expect(e).toMatchObject({ timezone: 'Europe/Paris', hoursName: 'council', openingHours: hours });
    expect(e.stock.map((s) => s.material)).toEqual(expect.arrayContaining(['petg', 'aluminium-6061']));
    expect(e.stock.map((s) => s.material)).not.toContain('plywood');
  });

  it('reads hours in the zone of the country, or of the longitude where a country has several', () => {
    expect(timezoneFor('FR', 2.35)).toBe('Europe/Paris');
    expect(timezoneFor('us', -85.2)).toBe('Etc/GMT+6');
    expect(timezoneFor(undefined, 127.1)).toBe('Etc/GMT-8');
    expect(timezoneFor('XX', 3)).toBe('Etc/UTC');
  });
});
