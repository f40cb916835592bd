/**
 * Wall-clock time in an IANA zone ↔ absolute time, fast. Opening hours are resolved for
 * every unit on every match (10,000 units × a month of days), and building a luxon DateTime
 * per opening took ~5 ms per unit-month. Here a day is arithmetic on "wall milliseconds"
 * (local time read as if it were UTC) and only the zone's UTC offset comes from luxon,
 * memoised per zone and quarter hour: tz transitions fall on quarter hours in UTC (every
 * zone's offset is a multiple of 15 minutes), and a bucket whose two ends disagree is asked
 * for the exact instant instead.
 */
import { IANAZone } from 'luxon';

const MINUTE_MS = 60_000;
const BUCKET_MS = 15 * MINUTE_MS;
/** Memo size per zone before it is dropped (a few years of quarter hours). */
const MAX_BUCKETS = 200_000;

const zones = new Map<string, IANAZone | null>();
const offsets = new Map<string, Map<number, number>>();

function zoneOf(timezone: string): IANAZone | null {
  let z = zones.get(timezone);
  if (z === undefined) {
    z = IANAZone.isValidZone(timezone) ? IANAZone.create(timezone) : null;
    zones.set(timezone, z);
  }
  return z;
}

export function isValidTimezone(timezone: string): boolean {
  return zoneOf(timezone) !== null;
}

/** The zone's offset from UTC in minutes at instant `ts` (+60 for Paris in winter). */
export function offsetMinutes(timezone: string, ts: number): number {
  const zone = zoneOf(timezone);
  if (!zone) throw new RangeError(`unknown timezone "${timezone}"`);
  let memo = offsets.get(timezone);
  if (!memo) offsets.set(timezone, (memo = new Map()));
  const bucket = Math.floor(ts / BUCKET_MS);
  let o = memo.get(bucket);
  if (o === undefined) {
    const start = zone.offset(bucket * BUCKET_MS);
    const end = zone.offset((bucket + 1) * BUCKET_MS - 1);
    // NaN marks a bucket with a transition inside: answered exactly, every time.
    o = start === end ? start : Number.NaN;
    if (memo.size >= MAX_BUCKETS) memo.clear();
    memo.set(bucket, o);
  }
  return Number.isNaN(o) ? zone.offset(ts) : o;
}

/** Local wall time of instant `ts`, as wall milliseconds. */
export function utcToWall(ts: number, timezone: string): number {
  return ts + offsetMinutes(timezone, ts) * MINUTE_MS;
}

/**
 * The instant a wall-clock time happens in `timezone`. A time skipped by a spring-forward
 * gap moves forward by the gap (02:30 → 03:30), as luxon does; a time that happens twice
 * on a fall-back night resolves to one of the two, deterministically.
 */
export function wallToUtc(wall: number, timezone: string): number {
  const o = offsetMinutes(timezone, wall);
  let utc = wall - o * MINUTE_MS;
  const o2 = offsetMinutes(timezone, utc);
  if (o === o2) return utc;
  utc -= (o2 - o) * MINUTE_MS;
  const o3 = offsetMinutes(timezone, utc);
  if (o2 === o3) return utc;
  return wall - Math.min(o2, o3) * MINUTE_MS;
}
