import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { FabUnitDraft } from '#libs/contracts/src/fabrication/fab-unit.js';
import { parseOkw, type OkwImportResult } from './okw-import.js';
import { countryCode } from './country-codes.js';
import { normalizeAccessType, normalizeStatus, machineStatusFromCondition } from './okw-vocabulary.js';

const data = (f: string) => readFileSync(new URL(`../../../../data/okw/${f}`, import.meta.url), 'utf8');

function ok(r: OkwImportResult): Extract<OkwImportResult, { units: unknown }> {
  if ('error' in r) throw new Error(`expected units, got error: ${r.error}`);
  return r;
}

describe('parseOkw: fablabs.io harvest (2,237 real labs)', () => {
  const r = ok(parseOkw(data('fablabs-io-2237.json'), 'application/json'));

  it('keeps every lab, including the ~200 without coordinates', () => {
    expect(r.stats).toEqual({ records: 2237, units: 2237, merged: 0, skipped: 0, notLocatable: 201 });
    expect(r.units.filter((u) => u.locatable)).toHaveLength(2036);
    expect(r.units.every((u) => u.locatable === (u.location.lat !== undefined && u.location.lon !== undefined))).toBe(true);
  });

  it('reads name, url, address, region and coordinates', () => {
    expect(r.units[0]).toStrictEqual({
      name: 'Fablab Songpa',
      kind: 'fablab',
      status: 'Active',
      location: { address: '40, Dongnam-ro 28-gil', city: 'Seoul', region: 'Songpa', country: 'KR', postcode: '05738' },
      locatable: false,
      url: 'https://www.fablabs.io/labs/fablabsongpa',
      contact: {},
      source: { system: 'fablabs.io', id: 'c94d1c69-8036-4f9d-bb15-a8a37de7af63' },
    });
    const ping = r.units.find((u) => u.name === 'PiNG')!;
    expect(ping.location).toStrictEqual({ lat: 47.218371, lon: -1.55362100000002, city: 'Nantes', region: 'Pays de la Loire', country: 'FR' });
    expect(ping.locatable).toBe(true);
  });

  it('trims names and keeps ISO alpha-2 countries', () => {
    expect(r.units.every((u) => u.name === u.name.trim() && !/\s\s/.test(u.name))).toBe(true);
    expect(r.units.every((u) => /^[A-Z]{2}$/.test(u.location.country!))).toBe(true);
    expect(new Set(r.units.map((u) => u.location.country)).size).toBe(137);
  });

  it('labs with the same name but another url stay apart', () => {
    expect(r.units.filter((u) => u.name.toLowerCase() === 'iroko fablab')).toHaveLength(2);
  });

  it('reports grouped warnings, not one per record', () => {
    expect(r.warnings).toEqual([
      expect.stringMatching(/^no coordinates: kept, not locatable: 201 records \(Fablab Songpa, Al Jazri Lab, .* and 198 more\)$/),
      expect.stringMatching(/^no facility status: assumed Active: 2,237 records/),
    ]);
  });
});

describe('parseOkw: Helpful Engineering variant (RobsArduinoShop)', () => {
  const body = data('helpfulengineering-library__RobsArduinoShop.okw.yml');

  it('maps Wikidata process ids to canonical processes and reads the one-string contact', () => {
    const r = ok(parseOkw(body, 'application/yaml', { sourceName: 'RobsArduinoShop' }));
    expect(r.units).toHaveLength(1);
    const u = r.units[0];
    expect(u.name).toBe('RobsArduinoShop');
    expect(u.contact).toStrictEqual({ name: 'Robert L. Read, PhD', email: 'read.robert@gmail.com' });
    expect(u.url).toBe('https://www.pubinv.org/');
    expect(u.machines).toStrictEqual([{ process: 'soldering', materials: [], status: 'available' }]);
    expect(u.locatable).toBe(false);
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        'RobsArduinoShop: no name: named after the source',
        expect.stringContaining('process soldering listed without equipment'),
        expect.stringContaining('Q1879849'),
        expect.stringContaining('inventory atoms not in the material taxonomy'),
      ]),
    );
  });

  it('without a source name, is named after its contact (and says so)', () => {
    const r = ok(parseOkw(body, 'application/yaml'));
    expect(r.units[0].name).toBe('Robert L. Read, PhD');
    expect(r.warnings).toContain('Robert L. Read, PhD: no name: named after the contact');
  });
});

describe('parseOkw: OKW v1 facility (supply-graph-ai synthetic sample)', () => {
  const r = ok(parseOkw(data('supply-graph-ai__SYNTHETIC_full_okw_v1_facility.json'), 'application/json'));
  const u = r.units[0];

  it('reads status, access type, location, contact and url', () => {
    expect(u).toMatchObject({
      name: 'Additive Manufacturing Center',
      kind: 'facility',
      status: 'Planned',
      accessType: 'Restricted with public hours',
      location: { lat: 42.3588336, lon: -71.0578303, address: '7250 Sergio Spurs', city: 'Boston', region: 'IA', country: 'US', postcode: '61226' },
      locatable: true,
      url: 'https://jones.org',
      contact: { name: 'Benton-Wood', email: 'info@sanchez-sanchez.biz', phone: '+1-730-400-5684' },
      source: { system: 'okw', id: 'ab67b029-e2fd-478b-b97b-43a421f59b92' },
    });
  });

  it('maps equipment given as Wikipedia URLs to processes and materials', () => {
    expect(u.machines).toStrictEqual([
      { process: '3d-printing.fdm', make: 'Prusa', model: 'S5', materials: ['pla', 'petg', 'abs', 'tpu'], status: 'available', quantity: 5 },
      { process: '3d-printing.sla', make: 'Brand A', model: 'Model 889', materials: [], status: 'available' },
      { process: 'assembly', make: 'Festo', model: 'Semi-Auto Line', materials: ['fasteners', 'adhesive', 'wire', 'electronic-components'], status: 'available', quantity: 3 },
    ]);
  });

  it('names what it could not map', () => {
    expect(r.warnings).toEqual([
      expect.stringContaining('equipment Bel Air Powershot C: process "https://en.wikipedia.org/wiki/Post-processing" not in the process taxonomy'),
      expect.stringContaining('Post-processing_station'),
    ]);
  });
});

describe('parseOkw: shapes and spellings', () => {
  it('reads kebab-case YAML, several documents, and gps_coordinates in any form', () => {
    const yaml = [
      'name: Lab A',
      'facility-status: temporarily closed',
      'access-type: members only',
      'location:',
      '  gps-coordinates: "52.52 13.405"',
      '  address: { street: Hauptstr. 1, city: Berlin, country: Germany }',
      'opening-hours: Mo-Fr 10:00-18:00',
      'equipment:',
      '  - equipment-type: laser cutter',
      '    materials-worked: [{ material-type: Acrylic }, plywood]',
      '    x-travel: 600',
      '    y-travel: 400',
      '    z-travel: 20',
      '    condition: in repair',
      '---',
      'title: Lab B',
      'facilityStatus: Closed',
      'location: { coordinates: { latitude: "48.1", longitude: 11.58 }, country: "Allemagne" }',
    ].join('\n');
    const r = ok(parseOkw(yaml, 'application/yaml'));
    expect(r.units).toHaveLength(2);
    expect(r.units[0]).toMatchObject({
      status: 'Temporary Closure',
      accessType: 'Membership',
      location: { lat: 52.52, lon: 13.405, address: 'Hauptstr. 1', city: 'Berlin', country: 'DE' },
      openingHours: { mon: [{ open: '10:00', close: '18:00' }] },
      machines: [{ process: 'laser-cutting', materials: ['acrylic', 'plywood'], envelopeMm: { x: 600, y: 400, z: 20 }, status: 'maintenance' }],
    });
    expect(r.units[1]).toMatchObject({ name: 'Lab B', status: 'Closed', location: { lat: 48.1, lon: 11.58, country: 'DE' } });
  });

  it('accepts a list and a {facilities: [...]} wrapper', () => {
    const one = { name: 'X', facility_status: 'Active', location: { gps_coordinates: '1, 2' } };
    expect(ok(parseOkw(JSON.stringify([one, { ...one, name: 'Y' }]), 'application/json')).units).toHaveLength(2);
    expect(ok(parseOkw(JSON.stringify({ facilities: [one] }), 'application/json')).units).toHaveLength(1);
  });

  it('reads build volumes given as text or objects, and says when it cannot', () => {
    const r = ok(
      parseOkw(
        JSON.stringify({
          name: 'Printers',
          equipment: [
            { manufacturing_process: 'FDM', build_volume: '250 x 210 x 210 mm', materials_worked: ['PLA'] },
            { manufacturing_process: 'FDM', build_volume: { x: 220, y: 220, z: 250 } },
            { manufacturing_process: 'FDM', build_volume: 11025000 },
          ],
        }),
        'application/json',
      ),
    );
    expect(r.units[0].machines!.map((m) => m.envelopeMm)).toEqual([{ x: 250, y: 210, z: 210 }, { x: 220, y: 220, z: 250 }, undefined]);
    expect(r.warnings).toContain('Printers: equipment FDM: build_volume is a volume, not dimensions: envelope unknown');
  });

  it.each<[string, string, string, RegExp]>([
    ['empty body', '  ', 'application/json', /empty body/],
    ['invalid JSON', '{"name": ', 'application/json', /^invalid JSON/],
    ['invalid YAML', 'name: [unclosed', 'application/yaml', /^invalid YAML/],
    ['a scalar', '42', 'application/json', /expected an OKW facility/],
    ['an empty list', '[]', 'application/json', /no facility records/],
    ['records without names', '[{"location": {}}, 7]', 'application/json', /no usable facility: .*skipped/],
    ['another media type', 'name: x', 'text/csv', /unsupported media type/],
  ])('%s → error', (_n, body, type, message) => {
    const r = parseOkw(body, type);
    expect('error' in r && r.error).toMatch(message);
  });

  it('keeps a record with bad coordinates, not locatable, and says why', () => {
    const r = ok(parseOkw(JSON.stringify({ name: 'Nowhere', location: { gps_coordinates: '123, 456' } }), 'application/json'));
    expect(r.units[0].locatable).toBe(false);
    expect(r.units[0].location).toStrictEqual({});
    expect(r.warnings).toContain('Nowhere: coordinates unreadable or out of range: kept, not locatable');
  });
});

describe('parseOkw: duplicates inside one file', () => {
  const records = [
    { name: 'Fab Lab Nord', url: 'https://www.fablab-nord.org/', facility_status: 'Active', location: { address: { city: 'Lille' } } },
    { name: 'Other Lab', location: { gps_coordinates: '50.0, 3.0' } },
    {
      name: '  fab lab   NORD ',
      url: 'http://fablab-nord.org',
      description: 'Laser and 3D printing',
      location: { gps_coordinates: '50.63, 3.06', address: { city: 'Roubaix', postcode: '59100' } },
      contact: { name: 'Nord', contact_person: 'Ana', contact: { email: 'ana@fablab-nord.org' } },
      equipment: [{ manufacturing_process: 'laser cutting' }],
    },
  ];
  const r = ok(parseOkw(JSON.stringify(records), 'application/json'));

  it('merges them, the later record filling the gaps of the first', () => {
    expect(r.stats).toMatchObject({ records: 3, units: 2, merged: 1 });
    expect(r.units[0]).toMatchObject({
      name: 'Fab Lab Nord',
      url: 'https://www.fablab-nord.org/',
      description: 'Laser and 3D printing',
      location: { lat: 50.63, lon: 3.06, city: 'Lille', postcode: '59100' },
      locatable: true,
      contact: { name: 'Ana', email: 'ana@fablab-nord.org' },
      machines: [{ process: 'laser-cutting', materials: [], status: 'available' }],
    });
    expect(r.warnings).toContain('Fab Lab Nord (records 1, 3): same name and url as an earlier record: merged');
  });
});

describe('vocabularies', () => {
  it.each([
    ['Active', 'Active'],
    ['active', 'Active'],
    ['OPERATIONAL', 'Active'],
    ['planned', 'Planned'],
    ['Temporary Closure', 'Temporary Closure'],
    ['temporary_closure', 'Temporary Closure'],
    ['temporarily closed', 'Temporary Closure'],
    ['Closed', 'Closed'],
    ['permanently-closed', 'Closed'],
    ['on fire', undefined],
  ])('status %j → %s', (input, expected) => expect(normalizeStatus(input)).toBe(expected));

  it.each([
    ['Restricted with public hours', 'Restricted with public hours'],
    ['shared_space', 'Shared space'],
    ['public', 'Public'],
    ['Members only', 'Membership'],
    ['Restricted', 'Restricted'],
    ['sometimes', undefined],
  ])('access type %j → %s', (input, expected) => expect(normalizeAccessType(input)).toBe(expected));

  it.each([
    [undefined, 'available'],
    ['Fair', 'available'],
    ['Under maintenance', 'maintenance'],
    ['in repair', 'maintenance'],
    ['Out of service', 'retired'],
    ['Retired', 'retired'],
  ])('condition %j → %s', (input, expected) => expect(machineStatusFromCondition(input)).toBe(expected));

  it.each([
    ['DE', 'DE'],
    ['de', 'DE'],
    ['UK', 'GB'],
    ['Germany', 'DE'],
    ['Allemagne', 'DE'],
    ['Deutschland', 'DE'],
    ['United States of America', 'US'],
    ['USA', 'US'],
    ["Côte d'Ivoire", 'CI'],
    ['Cote dIvoire', undefined],
    ['ivory coast', 'CI'],
    ['The Netherlands', 'NL'],
    ['Brasil', 'BR'],
    ['South Korea', 'KR'],
    ['Czech Republic', 'CZ'],
    ['EU', undefined],
    ['XX', undefined],
    ['Atlantis', undefined],
    ['', undefined],
  ])('country %j → %s', (input, expected) => expect(countryCode(input)).toBe(expected));
});

export type { FabUnitDraft };
