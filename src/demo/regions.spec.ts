import { describe, expect, it } from '@jest/globals';
import { chooseRegions, haversineKm, type LabRecord, PARIS, POOL_ROLES, POOL_SIZE, poolRole, QUIET_RADIUS_KM, SAO_PAULO, selectUnits, TWINS } from './regions.js';

/** `n` labs scattered around a point (within about 20 km), named after it. */
function cluster(name: string, lat: number, lon: number, n: number, city = name): LabRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${name}-${i}`,
    key: `${name} lab ${i}|https://${name}.example/${i}`,
    name: `${name} lab ${i}`,
    lat: lat + ((i % 5) - 2) * 0.03,
    lon: lon + (Math.floor(i / 5) - 2) * 0.04,
    country: 'XX',
    city,
  }));
}

const labs = [
  ...cluster('paris', PARIS.center.lat, PARIS.center.lon, 12),
  ...cluster('saopaulo', SAO_PAULO.center.lat, SAO_PAULO.center.lon, 10),
  ...cluster('milan', 45.46, 9.19, 9, 'Milano'),
  ...cluster('lima', -12.05, -77.04, 8, 'Lima'),
  ...cluster('lonely', 10, 10, 2),
  ...Array.from({ length: 30 }, (_, i) => ({ id: `far-${i}`, key: `far ${i}|`, name: `far ${i}`, lat: -40 + i, lon: 100 + i * 2 })),
];

describe('the councils and their labs', () => {
  it('starts with Paris and São Paulo, then the densest places far from them', () => {
    expect(chooseRegions(labs, 2).map((r) => r.key)).toEqual(['ile-de-france', 'sao-paulo']);
    const four = chooseRegions(labs, 4);
    expect(four.map((r) => r.councilName)).toEqual([PARIS.councilName, SAO_PAULO.councilName, 'Milano fab lab council', 'Lima fab lab council']);
    expect(four[2]!.templates.every((t) => t.purpose.includes('Milano') && !t.purpose.includes('{city}'))).toBe(true);
    expect(() => chooseRegions(labs, 5)).toThrow(/5 councils need 5 regions/);
  });

  it('pools twin labs of each role near each council, and equips others only far away', () => {
    const regions = chooseRegions(labs, 3);
    const selection = selectUnits(labs, regions, { seed: 1, total: 20 });
    for (const { region, pool } of selection.regions) {
      expect(pool).toHaveLength(POOL_SIZE);
      for (const l of pool) expect(haversineKm(region.center, l)).toBeLessThan(75);
      expect(new Set(pool.map((l) => l.id)).size).toBe(pool.length);
    }
    // Every role, so every process, twice in the pool.
    const roles = Array.from({ length: POOL_SIZE }, (_, i) => poolRole(i).role);
    for (const r of POOL_ROLES) expect(roles.filter((x) => x === r.role)).toHaveLength(TWINS);
    expect(TWINS).toBeGreaterThanOrEqual(2);
    expect(selection.others).toHaveLength(20);
    for (const l of selection.others) for (const r of regions) expect(haversineKm(r.center, l)).toBeGreaterThan(QUIET_RADIUS_KM);
  });

  it('chooses the same labs whatever order the server lists them in', () => {
    const regions = chooseRegions(labs, 2);
    const a = selectUnits(labs, regions, { seed: 9, total: 10 });
    const b = selectUnits([...labs].reverse(), regions, { seed: 9, total: 10 });
    expect(b).toEqual(a);
  });

  it('measures distances on the sphere', () => {
    expect(haversineKm(PARIS.center, { lat: 50.6292, lon: 3.0573 })).toBeCloseTo(204, 0);
  });
});
