/**
 * Opening hours and closures as stored, and the UTC intervals derived from them.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Local wall-clock times `HH:MM`. `close` may be `24:00` (midnight at the end of the day);
 * a `close` not after `open` runs past midnight into the next day (22:00–02:00).
 */
export interface OpeningSpan {
  open: string;
  close: string;
}

/** A day that is absent or has no spans is closed. Spans are local to the unit's timezone. */
export type WeeklySchedule = Partial<Record<Weekday, OpeningSpan[]>>;

/**
 * A period the unit is shut. ISO 8601: a date (`2026-11-01`) means whole local days and
 * `to` is inclusive (closed through 30 November → `to: 2026-11-30`); a date-time is an
 * instant (local to the unit if it has no offset) and `to` is exclusive.
 */
export interface Closure {
  from: string;
  to: string;
  reason?: string;
}

/** Half-open [start, end) in absolute time. */
export interface Interval {
  start: Date;
  end: Date;
}

/** A half-open interval as it travels in JSON: ISO 8601 UTC strings. */
export interface TimeSlot {
  start: string;
  end: string;
}
