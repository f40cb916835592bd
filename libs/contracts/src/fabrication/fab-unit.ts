/**
 * What an import (OKW, fablabs.io) produces and what an export reads: a fab unit before it
 * has a database id. Plain data only, so every service and the pure logic can share it.
 *
 * Canonical form (the round-trip spec compares drafts with deep equality): optional fields
 * are absent rather than `undefined`, lists keep source order, strings are trimmed.
 */
import type { BuildEnvelopeMm } from '../commons/design-version.js';
import type { WeeklySchedule } from './schedule.js';

/** The four facility statuses of OKW v1 (§4.6); only `Active` units are matched. */
export const FAB_UNIT_STATUSES = ['Active', 'Planned', 'Temporary Closure', 'Closed'] as const;
export type FabUnitStatus = (typeof FAB_UNIT_STATUSES)[number];

/** OKW v1 access types (§4.10). */
export const ACCESS_TYPES = [
  'Restricted',
  'Restricted with public hours',
  'Shared space',
  'Public',
  'Membership',
] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

/** OKW has no facility kind; an affiliation with fablabs.org is how it says "fab lab". */
export const FAB_UNIT_KINDS = [
  'fablab',
  'makerspace',
  'hackerspace',
  'workshop',
  'micro-factory',
  'facility',
] as const;
export type FabUnitKind = (typeof FAB_UNIT_KINDS)[number];

export const MACHINE_STATUSES = ['available', 'maintenance', 'retired'] as const;
export type MachineStatus = (typeof MACHINE_STATUSES)[number];

export interface GeoPoint {
  /** WGS 84 decimal degrees. */
  lat: number;
  lon: number;
}

export interface FabUnitLocation {
  /** WGS 84; both present or both absent. */
  lat?: number;
  lon?: number;
  /** Street address as one line (number, street, district). */
  address?: string;
  city?: string;
  region?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
  postcode?: string;
}

export interface FabUnitContact {
  name?: string;
  email?: string;
  phone?: string;
}

export interface MachineDraft {
  /** Canonical process id from libs/taxonomy, e.g. `3d-printing.fdm`. */
  process: string;
  make?: string;
  model?: string;
  /** Largest part the machine takes; for sheet processes z is the thickness. */
  envelopeMm?: BuildEnvelopeMm;
  /** Canonical material ids the machine works; empty = not known (matches nothing). */
  materials: string[];
  status: MachineStatus;
  /** Identical machines of this make and model (OKW `quantity`); absent = 1. */
  quantity?: number;
}

export interface MaterialStockDraft {
  /** Canonical material id from libs/taxonomy. */
  material: string;
  /** Absent when the source only says the material is typically used (OKW). */
  quantity?: number;
  /** Canonical unit id from libs/taxonomy; present iff quantity is. */
  unit?: string;
}

export interface FabUnitSource {
  /** `okw`, `fablabs.io`, or the system an exported record came from. */
  system: string;
  /** The record's id in that system, when it has one. */
  id?: string;
}

export interface FabUnitDraft {
  name: string;
  kind: FabUnitKind;
  status: FabUnitStatus;
  /** Absent when the source does not say (fablabs.io does not). */
  accessType?: AccessType;
  location: FabUnitLocation;
  /** False when there are no usable coordinates: kept, but never matched by distance. */
  locatable: boolean;
  url?: string;
  contact: FabUnitContact;
  /** IANA zone, e.g. `Europe/Berlin`; opening hours are local to it. */
  timezone?: string;
  description?: string;
  openingHours?: WeeklySchedule;
  machines?: MachineDraft[];
  materials?: MaterialStockDraft[];
  source: FabUnitSource;
}
