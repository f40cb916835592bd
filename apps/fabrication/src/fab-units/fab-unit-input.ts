/**
 * What class-validator cannot check about fab unit input: names against the taxonomy, time
 * zones, opening hours and closure dates. Each failure is a field error in a 400 answer.
 * Pure: no Nest, no TypeORM.
 */
import {
  badRequest,
  type FieldError,
} from '#libs/contracts/src/problem.js';
import type { MachineStatus } from '#libs/contracts/src/fabrication/fab-unit.js';
import type { Closure, WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import { WEEKDAYS } from '#libs/contracts/src/fabrication/schedule.js';
import { canonicalMaterial, canonicalProcess, canonicalUnit, getUnit } from '#libs/taxonomy/src/index.js';
import { closureInterval } from '../schedule/closures.js';
import { isValidTimezone, parseClock } from '../schedule/opening-hours.js';

/** Collects field errors, then throws them all at once. */
export class InputCheck {
  readonly errors: FieldError[] = [];

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  process(raw: string, field: string): string {
    const id = canonicalProcess(raw);
    if (!id) this.fail(field, `${field} "${raw}" is not a process of the taxonomy (e.g. 3d-printing.fdm, laser-cutting, cnc-milling)`);
    return id ?? raw;
  }

  material(raw: string, field: string): string {
    const id = canonicalMaterial(raw);
    if (!id) this.fail(field, `${field} "${raw}" is not a material of the taxonomy (e.g. pla, plywood, aluminium)`);
    return id ?? raw;
  }

  materials(raws: readonly string[] | undefined, field: string): string[] {
    return [...new Set((raws ?? []).map((m, i) => this.material(m, `${field}.${i}`)))];
  }

  unit(raw: string, field: string): string {
    const id = canonicalUnit(raw);
    if (!id || !getUnit(id)) this.fail(field, `${field} "${raw}" is not a unit of the taxonomy (e.g. g, kg, m2, pcs)`);
    return id ?? raw;
  }

  timezone(raw: string | undefined | null, field: string): string | undefined {
    if (raw === undefined || raw === null) return undefined;
    if (!isValidTimezone(raw)) this.fail(field, `${field} "${raw}" is not an IANA time zone (e.g. Europe/Berlin)`);
    return raw;
  }

  /** The schedule with empty days left out, spans checked and sorted. */
  schedule(raw: WeeklySchedule | undefined | null, field: string): WeeklySchedule | undefined {
    if (!raw) return undefined;
    const out: WeeklySchedule = {};
    for (const day of WEEKDAYS) {
      const spans = raw[day];
      if (!spans?.length) continue;
      const checked = spans.map((s, i) => {
        try {
          const open = parseClock(s.open);
          parseClock(s.close);
          if (open === 1440) this.fail(`${field}.${day}.${i}.open`, 'open must be before 24:00');
        } catch (e) {
          this.fail(`${field}.${day}.${i}`, (e as Error).message);
        }
        return { open: s.open, close: s.close };
      });
      out[day] = checked.sort((a, b) => safeClock(a.open) - safeClock(b.open));
    }
    return out;
  }

  closures(raw: readonly Closure[] | undefined, timezone: string | undefined | null, field: string): Closure[] {
    const zone = timezone && isValidTimezone(timezone) ? timezone : 'UTC';
    return (raw ?? []).map((c, i) => {
      try {
        const { start, end } = closureInterval(c, zone);
        if (end.getTime() <= start.getTime()) this.fail(`${field}.${i}`, `closure ${i + 1} ends before it starts`);
      } catch (e) {
        this.fail(`${field}.${i}`, (e as Error).message);
      }
      return c.reason ? { from: c.from, to: c.to, reason: c.reason } : { from: c.from, to: c.to };
    });
  }

  point(loc: { lat?: number; lon?: number } | undefined, field: string): void {
    if (loc && (loc.lat === undefined) !== (loc.lon === undefined)) {
      this.fail(field, `${field} needs both lat and lon, or neither`);
    }
  }

  done(): void {
    if (this.errors.length) {
      throw badRequest(this.errors.length === 1 ? this.errors[0]!.message : `${this.errors.length} fields are not valid`, this.errors);
    }
  }
}

function safeClock(s: string): number {
  try {
    return parseClock(s);
  } catch {
    return 0;
  }
}

export const DEFAULT_MACHINE_STATUS: MachineStatus = 'available';
