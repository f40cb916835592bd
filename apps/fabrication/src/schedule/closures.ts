/**
 * Closures as absolute intervals. A unit states closures in its own calendar ("closed
 * 1–30 November"), so dates are whole local days and the end date is inclusive.
 */
import { DateTime } from 'luxon';
import type { Closure, Interval } from '#libs/contracts/src/fabrication/schedule.js';
import { normalizeIntervals } from './free-time.js';
import { wallToUtc } from './zone-time.js';

const DAY_MS = 86_400_000;

/** [from, to) of one closure in absolute time; throws RangeError on an unreadable date. */
export function closureInterval(closure: Closure, timezone: string): Interval {
  const from = parseEdge(closure.from, timezone, 'from');
  const to = parseEdge(closure.to, timezone, 'to');
  return { start: from, end: to };
}

/** All closures as sorted, merged intervals (back-to-back closures become one). */
export function closureIntervals(closures: readonly Closure[], timezone: string): Interval[] {
  return normalizeIntervals(closures.map((c) => closureInterval(c, timezone)));
}

/**
 * When a unit closed at `now` reopens (the end of the closure covering `now`, following
 * back-to-back closures), or null when it is not closed then. Date-only closures are read in
 * `timezone`.
 */
export function closedUntil(closures: readonly Closure[], now: Date, timezone = 'UTC'): Date | null {
  const t = now.getTime();
  for (const i of closureIntervals(closures, timezone)) {
    if (i.start.getTime() <= t && t < i.end.getTime()) return i.end;
  }
  return null;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

function parseEdge(value: string, timezone: string, edge: 'from' | 'to'): Date {
  const s = value.trim();
  // The common forms (a date, a local date-time) without building a luxon DateTime.
  const m = LOCAL.exec(s);
  if (m) {
    const [y, mo, d, h = '0', mi = '0', sec = '0', ms = '0'] = m.slice(1);
    const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, +ms.padEnd(3, '0'));
    const back = new Date(wall);
    if (back.getUTCFullYear() !== +y || back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || +h > 23 || +mi > 59 || +sec > 59) {
      throw new RangeError(`closure ${edge} "${value}" is not a valid date`);
    }
    // A date's end is the end of that day: the closure ends when the next day starts.
    return new Date(wallToUtc(m[4] === undefined && edge === 'to' ? wall + DAY_MS : wall, timezone));
  }
  const dt = DateTime.fromISO(s, { zone: timezone });
  if (!dt.isValid) {
    throw new RangeError(`closure ${edge} "${value}" is not an ISO 8601 date or date-time (${dt.invalidExplanation ?? dt.invalidReason})`);
  }
  return dt.toJSDate();
}
