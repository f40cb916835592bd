/**
 * Distance in SQL without PostGIS: a box on the GiST-indexed `location` point narrows the
 * rows, then the exact great-circle distance is computed on what remains.
 */
import { EARTH_RADIUS_KM } from '../geo/haversine.js';

export interface LatLonBox {
  latMin: number;
  latMax: number;
  lonMin: number;
  lonMax: number;
}

const KM_PER_DEGREE = (Math.PI * EARTH_RADIUS_KM) / 180;

/**
 * Boxes (in degrees) covering every point within `radiusKm` of (lat, lon): one box, two
 * when it crosses the antimeridian, a full band of longitude when it reaches a pole.
 * Slightly generous (a small margin) so that float rounding never drops a point on the edge.
 */
export function boundingBoxes(lat: number, lon: number, radiusKm: number): LatLonBox[] {
  const dLat = radiusKm / KM_PER_DEGREE + 1e-6;
  const latMin = Math.max(-90, lat - dLat);
  const latMax = Math.min(90, lat + dLat);
  // The widest longitude span is at the latitude of the box closest to a pole.
  const maxAbsLat = Math.max(Math.abs(latMin), Math.abs(latMax));
  if (maxAbsLat >= 89.999 || radiusKm >= Math.PI * EARTH_RADIUS_KM / 2) {
    return [{ latMin, latMax, lonMin: -180, lonMax: 180 }];
  }
  // Angular radius r/R; the longitude half-width of a spherical cap is asin(sin(r/R)/cos(lat)).
  const angular = radiusKm / EARTH_RADIUS_KM;
  const ratio = Math.sin(angular) / Math.cos((lat * Math.PI) / 180);
  if (ratio >= 1) return [{ latMin, latMax, lonMin: -180, lonMax: 180 }];
  const dLon = (Math.asin(ratio) * 180) / Math.PI + 1e-6;
  const lonMin = lon - dLon;
  const lonMax = lon + dLon;
  if (lonMin < -180) {
    return [
      { latMin, latMax, lonMin: -180, lonMax },
      { latMin, latMax, lonMin: lonMin + 360, lonMax: 180 },
    ];
  }
  if (lonMax > 180) {
    return [
      { latMin, latMax, lonMin, lonMax: 180 },
      { latMin, latMax, lonMin: -180, lonMax: lonMax - 360 },
    ];
  }
  return [{ latMin, latMax, lonMin, lonMax }];
}

/** Great-circle km from (u.lat, u.lon) to the point given as SQL parameters, as in geo/haversine.ts. */
export function haversineSql(latParam: string, lonParam: string, alias = 'u'): string {
  return `(2 * ${EARTH_RADIUS_KM} * asin(least(1, sqrt(
    power(sin(radians(${alias}.lat - ${latParam}::float8) / 2), 2) +
    cos(radians(${latParam}::float8)) * cos(radians(${alias}.lat)) * power(sin(radians(${alias}.lon - ${lonParam}::float8) / 2), 2)))))`;
}
