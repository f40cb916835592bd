import { describe, expect, it } from '@jest/globals';
import { haversineKm, isGeoPoint } from './haversine.js';

describe('haversineKm', () => {
  it.each([
    // Reference distances on the IUGG mean sphere.
    ['same point', { lat: 47.2, lon: -1.55 }, { lat: 47.2, lon: -1.55 }, 0, 1e-9],
    ['one degree of latitude', { lat: 0, lon: 0 }, { lat: 1, lon: 0 }, 111.195, 0.001],
    ['Paris → London', { lat: 48.8566, lon: 2.3522 }, { lat: 51.5074, lon: -0.1278 }, 343.6, 0.5],
    ['across the antimeridian', { lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 }, 111.195, 0.001],
    ['antipodes', { lat: 0, lon: 0 }, { lat: 0, lon: 180 }, Math.PI * 6371.0088, 1e-6],
    ['pole to pole', { lat: 90, lon: 0 }, { lat: -90, lon: 0 }, Math.PI * 6371.0088, 1e-6],
  ])('%s', (_name, a, b, km, tolerance) => {
    expect(Math.abs(haversineKm(a, b) - km)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(haversineKm(b, a) - km)).toBeLessThanOrEqual(tolerance);
  });
});

describe('isGeoPoint', () => {
  it.each([
    [{ lat: 0, lon: 0 }, true],
    [{ lat: 90, lon: -180 }, true],
    [{ lat: 91, lon: 0 }, false],
    [{ lat: 10, lon: 181 }, false],
    [{ lat: Number.NaN, lon: 0 }, false],
    [{ lat: 10 }, false],
    [{ lat: null, lon: null }, false],
    [null, false],
  ])('%j → %s', (p, ok) => {
    expect(isGeoPoint(p as never)).toBe(ok);
  });
});
