/**
 * When machines are open, from opening hours and closures, cached.
 *
 * Resolving a weekly schedule in a time zone (luxon, day by day) is the costly part of a
 * match or a capacity query, and units share schedules: many have the same hours, every
 * machine of a unit shares the unit's. Results are cached per schedule, zone, closures and
 * whole UTC days, so a burst of matches computes each distinct calendar once per day window.
 */
import { Injectable } from '@nestjs/common';
import type { Closure, Interval, WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import { clipIntervals, subtractIntervals, sumMinutes } from '../schedule/free-time.js';
import { availableIntervals, isValidTimezone } from '../schedule/opening-hours.js';

const DAY_MS = 86_400_000;
const MAX_ENTRIES = 5000;

/** A calendar as stored: the schedule and closures as JSON text (the cache key), the zone. */
export interface Calendar {
  hoursJson: string | null;
  closuresJson: string;
  timezone: string | null;
}

@Injectable()
export class Availability {
  private readonly cache = new Map<string, Interval[]>();
  /** Per long-lived owner (a cached unit snapshot): its calendars' intervals for the current day window. */
  private readonly owned = new WeakMap<object, { window: string; bySlot: Map<string, Interval[]> }>();

  /**
   * `open`, remembered on `owner` under `slot` (the unit, or a machine with hours of its own):
   * the hot path of matching skips even building the cache key while the day window is the same.
   */
  openFor(owner: object, slot: string, calendar: Calendar, from: Date, to: Date): Interval[] {
    const window = `${Math.floor(from.getTime() / DAY_MS)}:${Math.ceil(to.getTime() / DAY_MS)}`;
    let memo = this.owned.get(owner);
    if (!memo || memo.window !== window) this.owned.set(owner, (memo = { window, bySlot: new Map() }));
    let hit = memo.bySlot.get(slot);
    if (!hit) memo.bySlot.set(slot, (hit = this.open(calendar, from, to)));
    return hit;
  }

  /**
   * Open intervals covering at least [from, to) (whole UTC days around it: callers clip or
   * search from `from`). Shared arrays: never mutate them.
   */
  open(calendar: Calendar, from: Date, to: Date): Interval[] {
    if (!calendar.hoursJson || calendar.hoursJson === 'null') return [];
    const lo = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
    const hi = Math.ceil(to.getTime() / DAY_MS) * DAY_MS;
    const zone = calendar.timezone && isValidTimezone(calendar.timezone) ? calendar.timezone : 'UTC';
    const key = `${calendar.hoursJson}\u0000${calendar.closuresJson}\u0000${zone}\u0000${lo}\u0000${hi}`;
    let hit = this.cache.get(key);
    if (!hit) {
      const schedule = JSON.parse(calendar.hoursJson) as WeeklySchedule | null;
      const closures = JSON.parse(calendar.closuresJson || '[]') as Closure[];
      hit = availableIntervals(schedule, zone, closures, new Date(lo), new Date(hi));
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
      this.cache.set(key, hit);
    }
    return hit;
  }

  /** Open minus reserved, clipped to [from, to). */
  free(calendar: Calendar, reserved: readonly Interval[], from: Date, to: Date): Interval[] {
    const open = this.open(calendar, from, to);
    const free = reserved.length ? subtractIntervals(open, reserved) : open;
    return clipIntervals(free, from, to);
  }

  /** Whole free minutes in [from, to). */
  freeMinutes(calendar: Calendar, reserved: readonly Interval[], from: Date, to: Date): number {
    return Math.floor(sumMinutes(this.free(calendar, reserved, from, to)) + 1e-9);
  }
}

export function calendarOf(
  unit: { openingHours: WeeklySchedule | null; closures: Closure[] | null; timezone: string | null },
  machine?: { openingHours: WeeklySchedule | null },
): Calendar {
  const hours = machine?.openingHours ?? unit.openingHours;
  return {
    hoursJson: hours ? JSON.stringify(hours) : null,
    closuresJson: JSON.stringify(unit.closures ?? []),
    timezone: unit.timezone,
  };
}
