/**
 * Weekly opening hours → the UTC intervals a unit is open. Opening hours are wall-clock
 * times in the unit's IANA zone: a 09:00–17:00 day is 09:00–17:00 local in winter and in
 * summer, and the days around a DST change come out right (see zone-time.ts).
 *
 * No schedule (absent or no open day) means closed: Cosmolocal never offers machine time a
 * unit has not declared, and a default 09:00–17:00 would promise capacity nobody agreed to.
 */
import type { Closure, Interval, OpeningSpan, Weekday, WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import { WEEKDAYS } from '#libs/contracts/src/fabrication/schedule.js';
import { closureIntervals } from './closures.js';
import { normalizeIntervals, subtractIntervals } from './free-time.js';
import { isValidTimezone, utcToWall, wallToUtc } from './zone-time.js';

export { isValidTimezone };

const HHMM = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Minutes after local midnight of `HH:MM` (`24:00` → 1440); throws RangeError when malformed. */
export function parseClock(value: string): number {
  const m = HHMM.exec(value.trim());
  if (!m) throw new RangeError(`"${value}" is not a time HH:MM`);
  return m[3] ? 1440 : Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Half-open UTC intervals in [from, to) when the unit is open, minus its closures; sorted
 * and merged. A span whose close is not after its open runs into the next day.
 */
export function availableIntervals(
  schedule: WeeklySchedule | null | undefined,
  timezone: string,
  closures: readonly Closure[],
  from: Date,
  to: Date,
): Interval[] {
  if (!isValidTimezone(timezone)) throw new RangeError(`unknown timezone "${timezone}"`);
  if (!schedule || to.getTime() <= from.getTime()) return [];
  const spans = WEEKDAYS.map((day) => (schedule[day] ?? []).map((s) => toMinutes(s, day)));
  if (spans.every((s) => s.length === 0)) return [];

  const lo = from.getTime();
  const hi = to.getTime();
  const open: Interval[] = [];
  // Local days as day numbers (0 = 1970-01-01, a Thursday); start a day early because
  // yesterday's overnight span may still be open at `from`.
  const first = Math.floor(utcToWall(lo, timezone) / DAY_MS) - 1;
  const last = Math.floor(utcToWall(hi, timezone) / DAY_MS);
  for (let day = first; day <= last; day++) {
    const weekday = (((day + 3) % 7) + 7) % 7;
    for (const [openMin, closeMin] of spans[weekday]) {
      const s = Math.max(wallToUtc(day * DAY_MS + openMin * MINUTE_MS, timezone), lo);
      const e = Math.min(wallToUtc(day * DAY_MS + closeMin * MINUTE_MS, timezone), hi);
      if (e > s) open.push({ start: new Date(s), end: new Date(e) });
    }
  }
  const merged = normalizeIntervals(open);
  return closures.length ? subtractIntervals(merged, closureIntervals(closures, timezone)) : merged;
}

function toMinutes(span: OpeningSpan, day: Weekday): [number, number] {
  const open = parseClock(span.open);
  let close = parseClock(span.close);
  if (open === 1440) throw new RangeError(`${day}: opening at 24:00`);
  if (close <= open) close += 1440;
  return [open, close];
}

// --- OKW `opening_hours` text ------------------------------------------------------------
// OKW leaves opening hours as free text; we read and write the common subset of the
// OpenStreetMap opening_hours syntax ("Mo-Fr 09:00-17:00; Sa 10:00-14:00", "24/7", "Su off").

const OSM_DAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'];
const OSM_LABEL = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const TIME_RANGE = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;

/** The OSM-style text as a schedule, or undefined when it is not in the subset we read. */
export function parseOpeningHours(text: string): WeeklySchedule | undefined {
  const source = text.trim();
  if (!source) return undefined;
  const days: OpeningSpan[][] = WEEKDAYS.map(() => []);
  for (const rawRule of source.split(';')) {
    const rule = rawRule.trim();
    if (!rule) continue;
    if (rule === '24/7') {
      for (let d = 0; d < 7; d++) days[d] = [{ open: '00:00', close: '24:00' }];
      continue;
    }
    const m = /^(?:((?:[A-Za-z]{2}(?:\s*-\s*[A-Za-z]{2})?)(?:\s*,\s*[A-Za-z]{2}(?:\s*-\s*[A-Za-z]{2})?)*)(?=\s|$))?\s*(.*)$/.exec(rule);
    if (!m) return undefined;
    const selected = m[1] ? parseDays(m[1]) : [0, 1, 2, 3, 4, 5, 6];
    if (!selected) return undefined;
    const rest = m[2].trim().toLowerCase();
    let spans: OpeningSpan[];
    if (rest === 'off' || rest === 'closed') spans = [];
    else {
      const parsed = rest.split(',').map((r) => parseTimeRange(r.trim()));
      if (!rest || parsed.some((p) => !p)) return undefined;
      spans = (parsed as OpeningSpan[]).sort((a, b) => parseClock(a.open) - parseClock(b.open));
    }
    // OSM semantics: a later rule replaces what earlier rules said about its days.
    for (const d of selected) days[d] = spans.map((s) => ({ ...s }));
  }
  const schedule: WeeklySchedule = {};
  WEEKDAYS.forEach((key, d) => {
    if (days[d].length) schedule[key] = days[d];
  });
  return schedule;
}

/** A schedule as OSM-style text; parseOpeningHours reads it back to an equal schedule. */
export function formatOpeningHours(schedule: WeeklySchedule): string {
  const keyOf = (d: number) =>
    (schedule[WEEKDAYS[d]] ?? [])
      .slice()
      .sort((a, b) => parseClock(a.open) - parseClock(b.open))
      .map((s) => `${s.open}-${s.close}`)
      .join(',');
  const keys = WEEKDAYS.map((_, d) => keyOf(d));
  if (keys.every((k) => k === '00:00-24:00')) return '24/7';
  const rules: string[] = [];
  for (let d = 0; d < 7; ) {
    let e = d;
    while (e + 1 < 7 && keys[e + 1] === keys[d]) e++;
    if (keys[d]) rules.push(`${OSM_LABEL[d]}${e > d ? `${e === d + 1 ? ',' : '-'}${OSM_LABEL[e]}` : ''} ${keys[d]}`);
    d = e + 1;
  }
  return rules.length ? rules.join('; ') : 'off';
}

function parseDays(text: string): number[] | undefined {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const [a, b] = part.split('-').map((s) => OSM_DAYS.indexOf(s.trim().toLowerCase()));
    if (a < 0 || (b !== undefined && b < 0)) return undefined;
    if (b === undefined) out.push(a);
    // A range may wrap the week end: Fr-Mo.
    else for (let d = a; ; d = (d + 1) % 7) {
      out.push(d);
      if (d === b) break;
    }
  }
  return out;
}

function parseTimeRange(text: string): OpeningSpan | undefined {
  const m = TIME_RANGE.exec(text);
  if (!m) return undefined;
  const open = `${m[1].padStart(2, '0')}:${m[2]}`;
  const close = `${m[3].padStart(2, '0')}:${m[4]}`;
  try {
    if (parseClock(open) === 1440) return undefined;
    parseClock(close);
  } catch {
    return undefined;
  }
  return { open, close };
}
