import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { FabUnitDraft } from '#libs/contracts/src/fabrication/fab-unit.js';
import { parseOkw } from './okw-import.js';
import { toOkw, toOkwYaml } from './okw-export.js';

const full: FabUnitDraft = {
  name: 'Fab Lab Nord',
  kind: 'fablab',
  status: 'Temporary Closure',
  accessType: 'Restricted with public hours',
  location: { lat: 50.6292, lon: 3.0573, address: '12 rue de la Paix, Vieux-Lille', city: 'Lille', region: 'Hauts-de-France', country: 'FR', postcode: '59000' },
  locatable: true,
  url: 'https://fablab-nord.example.org/',
  contact: { name: 'Ana Martin', email: 'ana@fablab-nord.example.org', phone: '+33 3 20 00 00 00' },
  timezone: 'Europe/Paris',
  description: 'Open workshop.\nLaser, printers and a CNC router.',
  openingHours: {
    mon: [{ open: '09:00', close: '12:00' }, { open: '13:00', close: '18:00' }],
    tue: [{ open: '09:00', close: '12:00' }, { open: '13:00', close: '18:00' }],
    sat: [{ open: '22:00', close: '02:00' }],
  },
  machines: [
    { process: '3d-printing.fdm', make: 'Prusa', model: 'MK4', envelopeMm: { x: 250, y: 210, z: 220 }, materials: ['pla', 'petg'], status: 'available', quantity: 4 },
    { process: 'laser-cutting', make: 'Trotec', model: 'Speedy 400', envelopeMm: { x: 1000, y: 610, z: 12.5 }, materials: ['acrylic', 'plywood', 'mdf'], status: 'maintenance' },
    { process: 'cnc-milling', materials: [], status: 'retired' },
  ],
  materials: [{ material: 'pla', quantity: 2500, unit: 'g' }, { material: 'plywood', quantity: 3.5, unit: 'm2' }, { material: 'mdf' }],
  source: { system: 'cosmolocal', id: 'b7a4e0b2-8a4f-4b8e-9c57-1f1c2a3b4c5d' },
};

const minimal: FabUnitDraft = {
  name: 'Atelier',
  kind: 'facility',
  status: 'Active',
  location: {},
  locatable: false,
  contact: {},
  source: { system: 'okw' },
};

const okwSourced: FabUnitDraft = {
  ...minimal,
  name: 'Shop with an OKW id',
  status: 'Planned',
  location: { lat: -33.8688, lon: 151.2093, country: 'AU' },
  locatable: true,
  contact: { email: 'shop@example.org' },
  url: 'http://example.org/shop',
  source: { system: 'okw', id: 'ab67b029-e2fd-478b-b97b-43a421f59b92' },
};

const contactNamedLikeUnit: FabUnitDraft = { ...minimal, name: 'Solo', contact: { name: 'Solo' }, openingHours: {} };

describe('OKW export → import round trip', () => {
  it.each<[string, FabUnitDraft]>([
    ['a full unit', full],
    ['a minimal unit', minimal],
    ['an OKW-sourced unit with url and email only', okwSourced],
    ['a contact named like the unit, closed every day', contactNamedLikeUnit],
  ])('%s (YAML and JSON)', (_n, unit) => {
    const viaYaml = parseOkw(toOkwYaml(unit), 'application/yaml');
    expect('units' in viaYaml && viaYaml.units).toStrictEqual([unit]);
    const viaJson = parseOkw(JSON.stringify(toOkw(unit)), 'application/json');
    expect('units' in viaJson && viaJson.units).toStrictEqual([unit]);
  });

  it('every fablabs.io lab survives the round trip unchanged', () => {
    const r = parseOkw(readFileSync(new URL('../../../../data/okw/fablabs-io-2237.json', import.meta.url), 'utf8'), 'application/json');
    if ('error' in r) throw new Error(r.error);
    const broken = r.units.filter((u) => {
      const back = parseOkw(toOkwYaml(u), 'application/yaml');
      return !('units' in back) || JSON.stringify(back.units[0]) !== JSON.stringify(u);
    });
    expect(broken.map((u) => u.name)).toEqual([]);
  });
});

describe('toOkw', () => {
  it('writes the OKW v1 shape', () => {
    expect(toOkw(full)).toStrictEqual({
      name: 'Fab Lab Nord',
      location: {
        address: { street: '12 rue de la Paix, Vieux-Lille', city: 'Lille', region: 'Hauts-de-France', country: 'FR', postcode: '59000' },
        gps_coordinates: '50.6292, 3.0573',
      },
      facility_status: 'Temporary Closure',
      access_type: 'Restricted with public hours',
      description: 'Open workshop.\nLaser, printers and a CNC router.',
      opening_hours: 'Mo,Tu 09:00-12:00,13:00-18:00; Sa 22:00-02:00',
      contact: {
        name: 'Ana Martin',
        contact_person: 'Ana Martin',
        website: 'https://fablab-nord.example.org/',
        contact: { email: 'ana@fablab-nord.example.org', landline: '+33 3 20 00 00 00' },
      },
      equipment: [
        {
          equipment_type: 'FDM 3D printing',
          manufacturing_process: '3d-printing.fdm',
          make: 'Prusa',
          model: 'MK4',
          quantity: 4,
          materials_worked: [{ material_type: 'pla' }, { material_type: 'petg' }],
          x_travel: 250,
          y_travel: 210,
          z_travel: 220,
          build_volume: 11_550_000,
        },
        expect.objectContaining({ manufacturing_process: 'laser-cutting', condition: 'Under maintenance', z_travel: 12.5 }),
        expect.objectContaining({ manufacturing_process: 'cnc-milling', condition: 'Retired' }),
      ],
      manufacturing_processes: ['3d-printing.fdm', 'laser-cutting', 'cnc-milling'],
      typical_materials: [
        { material_type: 'pla', quantity: 2500, unit: 'g' },
        { material_type: 'plywood', quantity: 3.5, unit: 'm2' },
        { material_type: 'mdf' },
      ],
      cosmolocal: { kind: 'fablab', timezone: 'Europe/Paris', source: { system: 'cosmolocal', id: 'b7a4e0b2-8a4f-4b8e-9c57-1f1c2a3b4c5d' } },
    });
  });

  it('writes the OKW id only for units that came from OKW', () => {
    expect(toOkw(okwSourced).id).toBe('ab67b029-e2fd-478b-b97b-43a421f59b92');
    expect(toOkw(full).id).toBeUndefined();
  });

  it('YAML keeps postcodes with leading zeros as strings', () => {
    const yaml = toOkwYaml({ ...minimal, location: { postcode: '05738' } });
    expect(parse(yaml).location.address.postcode).toBe('05738');
  });
});
