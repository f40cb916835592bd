import type { GeoPoint } from '#libs/contracts/src/fabrication/fab-unit.js';

/** IUGG mean Earth radius: the sphere that minimises the error of a spherical model. */
export const EARTH_RADIUS_KM = 6371.0088;

const RAD = Math.PI / 180;

/**
 * Great-circle distance in km. The haversine form stays accurate for the short distances
 * that matter here (the law of cosines loses precision below a few km).
 */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const s =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  // min() guards against s creeping above 1 by rounding for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Usable coordinates: finite and in range. (0, 0) is kept — it is a valid, if unlikely, place. */
export function isGeoPoint(p: { lat?: number | null; lon?: number | null } | null | undefined): p is GeoPoint {
  return (
    p != null &&
    typeof p.lat === 'number' &&
    typeof p.lon === 'number' &&
    Number.isFinite(p.lat) &&
    Number.isFinite(p.lon) &&
    Math.abs(p.lat) <= 90 &&
    Math.abs(p.lon) <= 180
  );
}
