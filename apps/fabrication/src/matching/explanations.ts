/**
 * Why a unit was left out, in a sentence an engineer can act on: the rule, the numbers on
 * both sides, and units ("PLA stock 200 g < 1,200 g needed"). Numbers use en-US grouping so
 * the texts are stable across servers whatever their locale.
 */
import { DateTime } from 'luxon';
import type { BuildEnvelopeMm } from '#libs/contracts/src/commons/design-version.js';
import type { FabUnitStatus } from '#libs/contracts/src/fabrication/fab-unit.js';
import { getMaterial } from '#libs/taxonomy/src/index.js';

const QUANTITY = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const ONE_DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 1200 → "1,200"; 0.125 → "0.13". */
export function formatNumber(n: number): string {
  return QUANTITY.format(n);
}

/** Minutes as hours with one decimal: 360 → "6.0 h". */
export function formatHours(minutes: number): string {
  return `${ONE_DECIMAL.format(minutes / 60)} h`;
}

export function formatKm(km: number): string {
  return `${ONE_DECIMAL.format(km)} km`;
}

export function formatEnvelope(e: BuildEnvelopeMm): string {
  return `${e.x}×${e.y}×${e.z} mm`;
}

/** A date alone when the instant is midnight in `zone`, else date and time with the zone. */
export function formatInstant(d: Date, zone = 'UTC'): string {
  const t = DateTime.fromJSDate(d, { zone });
  if (t.hour === 0 && t.minute === 0 && t.second === 0 && t.millisecond === 0) return t.toISODate()!;
  return `${t.toFormat('yyyy-MM-dd HH:mm')} ${zone}`;
}

export function materialName(id: string): string {
  return getMaterial(id)?.name ?? id;
}

export function statusReason(status: FabUnitStatus, reopens: Date | null, zone: string): string {
  if (status === 'Temporary Closure') {
    return reopens ? `closed until ${formatInstant(reopens, zone)}` : 'temporarily closed, no reopening date';
  }
  return `status ${status}`;
}

export function distanceReason(distanceKm: number | null, maxKm: number): string {
  if (distanceKm === null) return 'not locatable: no coordinates';
  return `${formatKm(distanceKm)} away > ${formatKm(maxKm)} max`;
}

export function processReason(process: string, unavailable: { maintenance: number; retired: number }): string {
  const parts = [
    unavailable.maintenance ? `${unavailable.maintenance} in maintenance` : '',
    unavailable.retired ? `${unavailable.retired} retired` : '',
  ].filter(Boolean);
  return parts.length ? `no available machine for ${process} (${parts.join(', ')})` : `no machine for ${process}`;
}

export function envelopeReason(process: string, largest: BuildEnvelopeMm | undefined, needed: BuildEnvelopeMm): string {
  if (!largest) return `no ${process} machine with a known envelope (${formatEnvelope(needed)} needed)`;
  return `largest ${process} envelope ${formatEnvelope(largest)} < ${formatEnvelope(needed)} needed`;
}

export function materialReason(process: string, material: string): string {
  return `no ${process} machine works ${materialName(material)}`;
}

export function stockReason(material: string, inStock: number | null, needed: number, unit: string): string {
  if (inStock === null) return `no ${materialName(material)} in stock (${formatNumber(needed)} ${unit} needed)`;
  return `${materialName(material)} stock ${formatNumber(inStock)} ${unit} < ${formatNumber(needed)} ${unit} needed`;
}

export function timeReason(args: {
  process: string;
  neededMinutes: number;
  freeMinutes: number;
  needBy: Date;
  after?: { process: string; completion: Date };
  closedUntil?: Date | null;
  zone: string;
}): string {
  const after = args.after ? ` after ${args.after.process} ends ${formatInstant(args.after.completion)}` : '';
  const closed = args.closedUntil ? `; closed until ${formatInstant(args.closedUntil, args.zone)}` : '';
  return `${args.process} needs ${formatHours(args.neededMinutes)} before ${formatInstant(args.needBy)}, ${formatHours(args.freeMinutes)} free${after}${closed}`;
}
