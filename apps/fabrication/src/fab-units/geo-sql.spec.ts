import { describe, expect, it } from '@jest/globals';
import { EARTH_RADIUS_KM, haversineKm } from '../geo/haversine.js';
import { boundingBoxes, type LatLonBox } from './geo-sql.js';

/** The point `km` away from (lat, lon) on `bearing` (degrees), on the sphere. */
function destination(lat: number, lon: number, km: number, bearing: number): { lat: number; lon: number } {
  const r = Math.PI / 180;
  const d = km / EARTH_RADIUS_KM;
  const phi = lat * r;
  const theta = bearing * r;
  const phi2 = Math.asin(Math.sin(phi) * Math.cos(d) + Math.cos(phi) * Math.sin(d) * Math.cos(theta));
  const lambda2 = lon * r + Math.atan2(Math.sin(theta) * Math.sin(d) * Math.cos(phi), Math.cos(d) - Math.sin(phi) * Math.sin(phi2));
  return { lat: phi2 / r, lon: ((((lambda2 / r + 540) % 360) + 360) % 360) - 180 };
}

const inside = (boxes: LatLonBox[], p: { lat: number; lon: number }) =>
  boxes.some((b) => p.lat >= b.latMin && p.lat <= b.latMax && p.lon >= b.lonMin && p.lon <= b.lonMax);

function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('boundingBoxes', () => {
  it('covers every point within the radius (random centres, radii and bearings)', () => {
    const random = seeded(7);
    for (let i = 0; i < 2000; i++) {
      const lat = random() * 170 - 85;
      const lon = random() * 360 - 180;
      const radius = 1 + random() * 2000;
      const boxes = boundingBoxes(lat, lon, radius);
      for (let k = 0; k < 16; k++) {
        const p = destination(lat, lon, radius * Math.sqrt(random()) * 0.999, random() * 360);
        expect(haversineKm({ lat, lon }, p)).toBeLessThanOrEqual(radius);
        if (!inside(boxes, p)) throw new Error(`(${p.lat}, ${p.lon}) within ${radius} km of (${lat}, ${lon}) is outside ${JSON.stringify(boxes)}`);
      }
    }
  });

  it('is tight: the box of 50 km around Lille spans about 0.9° of latitude', () => {
    const [box] = boundingBoxes(50.63, 3.06, 50);
    expect(box!.latMax - box!.latMin).toBeCloseTo(0.899, 2);
    expect(box!.lonMax - box!.lonMin).toBeCloseTo(1.42, 1);
  });

  it('splits at the antimeridian', () => {
    const boxes = boundingBoxes(-17.7, 179.9, 100);
    expect(boxes).toHaveLength(2);
    expect(inside(boxes, { lat: -17.7, lon: -179.5 })).toBe(true);
    expect(inside(boxes, { lat: -17.7, lon: 179.2 })).toBe(true);
    expect(inside(boxes, { lat: -17.7, lon: 0 })).toBe(false);
  });

  it('takes every longitude when the circle reaches a pole', () => {
    expect(boundingBoxes(89.5, 10, 100)).toEqual([expect.objectContaining({ lonMin: -180, lonMax: 180, latMax: 90 })]);
  });
});
