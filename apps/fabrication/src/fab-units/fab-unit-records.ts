/**
 * Fab units as the database holds them, and the two shapes they leave in: the view the API
 * answers, and the FabUnitDraft that OKW export and import speak (so an import can tell
 * whether it changes anything). Pure: no Nest, no TypeORM.
 */
import type { BuildEnvelopeMm } from '#libs/contracts/src/commons/design-version.js';
import type {
  AccessType,
  FabUnitContact,
  FabUnitDraft,
  FabUnitKind,
  FabUnitStatus,
  MachineDraft,
  MachineStatus,
  MaterialStockDraft,
} from '#libs/contracts/src/fabrication/fab-unit.js';
import type { Closure, WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import type { FabUnitView, MachineView, MaterialStockView } from '#libs/contracts/src/fabrication/views.js';
import { dedupeKey } from '../okw/dedupe.js';

export interface UnitRecord {
  id: string;
  name: string;
  kind: FabUnitKind;
  status: FabUnitStatus;
  accessType: AccessType | null;
  lat: number | null;
  lon: number | null;
  address: string | null;
  city: string | null;
  region: string | null;
  country: string | null;
  postcode: string | null;
  url: string | null;
  contact: FabUnitContact;
  timezone: string | null;
  description: string | null;
  openingHours: WeeklySchedule | null;
  closures: Closure[];
  sourceSystem: string;
  sourceId: string | null;
  dedupeKey: string;
  councilIds: string[];
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MachineRecord {
  id: string;
  fabUnitId: string;
  position: number;
  process: string;
  make: string | null;
  model: string | null;
  envelopeXMm: number | null;
  envelopeYMm: number | null;
  envelopeZMm: number | null;
  materials: string[];
  status: MachineStatus;
  openingHours: WeeklySchedule | null;
  okwGroup: number | null;
  okwQuantity: number | null;
}

export interface StockRecord {
  fabUnitId: string;
  material: string;
  position: number;
  quantity: number | null;
  unit: string | null;
  held: number;
}

/** The unit's columns, without the ones the database fills (timestamps, councils). */
export type UnitWrite = Omit<UnitRecord, 'createdAt' | 'updatedAt' | 'councilIds'>;
export type MachineWrite = MachineRecord;
export type StockWrite = Omit<StockRecord, 'held'>;

/** Identical machines one OKW entry may stand for; more is a typo, not a workshop. */
export const MAX_MACHINES_PER_ENTRY = 50;

// --- out ----------------------------------------------------------------------------------

export function envelopeOf(m: Pick<MachineRecord, 'envelopeXMm' | 'envelopeYMm' | 'envelopeZMm'>): BuildEnvelopeMm | undefined {
  return m.envelopeXMm !== null && m.envelopeYMm !== null && m.envelopeZMm !== null
    ? { x: m.envelopeXMm, y: m.envelopeYMm, z: m.envelopeZMm }
    : undefined;
}

export function machineView(m: MachineRecord): MachineView {
  const envelopeMm = envelopeOf(m);
  return compact({
    id: m.id,
    fabUnitId: m.fabUnitId,
    process: m.process,
    make: m.make ?? undefined,
    model: m.model ?? undefined,
    envelopeMm,
    materials: m.materials,
    status: m.status,
    openingHours: m.openingHours,
  });
}

export function stockView(s: StockRecord): MaterialStockView {
  return {
    material: s.material,
    quantity: s.quantity,
    unit: s.unit,
    held: s.held,
    free: s.quantity === null ? null : round9(s.quantity - s.held),
  };
}

export function locationOf(u: UnitRecord): FabUnitDraft['location'] {
  return compact({
    lat: u.lat ?? undefined,
    lon: u.lon ?? undefined,
    address: u.address ?? undefined,
    city: u.city ?? undefined,
    region: u.region ?? undefined,
    country: u.country ?? undefined,
    postcode: u.postcode ?? undefined,
  });
}

export function unitView(u: UnitRecord, machines: MachineRecord[], stock: StockRecord[], operators: string[]): FabUnitView {
  return compact({
    id: u.id,
    name: u.name,
    kind: u.kind,
    status: u.status,
    accessType: u.accessType ?? undefined,
    location: locationOf(u),
    locatable: u.lat !== null && u.lon !== null,
    url: u.url ?? undefined,
    contact: compact(u.contact ?? {}),
    timezone: u.timezone,
    description: u.description ?? undefined,
    openingHours: u.openingHours,
    closures: u.closures ?? [],
    machines: machines.map(machineView),
    materials: stock.map(stockView),
    operators,
    councils: u.councilIds ?? [],
    source: compact({ system: u.sourceSystem, id: u.sourceId ?? undefined }),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  });
}

/**
 * The unit as an OKW draft, in parseOkw's canonical form. Machines booked one by one come
 * back together: consecutive machines of one OKW entry that still look alike are one entry
 * with its quantity.
 */
export function draftOf(u: UnitRecord, machines: MachineRecord[], stock: StockRecord[]): FabUnitDraft {
  const machineDrafts = machineDraftsOf(machines);
  const materials = stock.map((s) =>
    compact<MaterialStockDraft>({ material: s.material, quantity: s.quantity ?? undefined, unit: s.unit ?? undefined }),
  );
  return compact<FabUnitDraft>({
    name: u.name,
    kind: u.kind,
    status: u.status,
    accessType: u.accessType ?? undefined,
    location: locationOf(u),
    locatable: u.lat !== null && u.lon !== null,
    url: u.url ?? undefined,
    contact: compact(u.contact ?? {}),
    timezone: u.timezone ?? undefined,
    description: u.description ?? undefined,
    openingHours: u.openingHours ?? undefined,
    machines: machineDrafts.length ? machineDrafts : undefined,
    materials: materials.length ? materials : undefined,
    source: compact({ system: u.sourceSystem, id: u.sourceId ?? undefined }),
  });
}

export function machineDraftsOf(machines: MachineRecord[]): MachineDraft[] {
  const out: MachineDraft[] = [];
  let group: { key: string; okwGroup: number | null; okwQuantity: number | null; draft: MachineDraft; count: number } | null = null;
  const flush = () => {
    if (!group) return;
    const quantity = group.count > 1 || group.okwQuantity !== null ? group.count : undefined;
    out.push(compact({ ...group.draft, quantity }));
    group = null;
  };
  for (const m of [...machines].sort((a, b) => a.position - b.position)) {
    const draft = compact<MachineDraft>({
      process: m.process,
      make: m.make ?? undefined,
      model: m.model ?? undefined,
      envelopeMm: envelopeOf(m),
      materials: m.materials,
      status: m.status,
    });
    const key = canonicalJson(draft);
    if (group && m.okwGroup !== null && group.okwGroup === m.okwGroup && group.key === key) {
      group.count++;
      continue;
    }
    flush();
    group = { key, okwGroup: m.okwGroup, okwQuantity: m.okwQuantity, draft, count: 1 };
  }
  flush();
  return out;
}

// --- in -----------------------------------------------------------------------------------

/** A draft (from OKW or the API) as rows; `newId` names the machines. */
export function recordsOfDraft(
  draft: FabUnitDraft,
  ids: { unitId: string; newId: () => string; createdBy: string | null },
  extra: { closures?: Closure[] } = {},
): { unit: UnitWrite; machines: MachineWrite[]; stock: StockWrite[] } {
  const loc = draft.location;
  const unit: UnitWrite = {
    id: ids.unitId,
    name: draft.name,
    kind: draft.kind,
    status: draft.status,
    accessType: draft.accessType ?? null,
    lat: loc.lat ?? null,
    lon: loc.lon ?? null,
    address: loc.address ?? null,
    city: loc.city ?? null,
    region: loc.region ?? null,
    country: loc.country ?? null,
    postcode: loc.postcode ?? null,
    url: draft.url ?? null,
    contact: compact(draft.contact ?? {}),
    timezone: draft.timezone ?? null,
    description: draft.description ?? null,
    openingHours: draft.openingHours ?? null,
    closures: extra.closures ?? [],
    sourceSystem: draft.source.system,
    sourceId: draft.source.id ?? null,
    dedupeKey: dedupeKey(draft),
    createdBy: ids.createdBy,
  };
  return { unit, machines: machineRecordsOf(draft.machines ?? [], ids.unitId, 0, ids.newId), stock: stockRecordsOf(draft.materials ?? [], ids.unitId, 0) };
}

/** One row per physical machine, from `position` on. */
export function machineRecordsOf(
  drafts: readonly (MachineDraft & { openingHours?: WeeklySchedule | null })[],
  fabUnitId: string,
  position: number,
  newId: () => string,
  firstGroup = position,
): MachineWrite[] {
  const out: MachineWrite[] = [];
  drafts.forEach((d, i) => {
    const n = Math.min(MAX_MACHINES_PER_ENTRY, Math.max(1, Math.floor(d.quantity ?? 1)));
    for (let k = 0; k < n; k++) {
      out.push({
        id: newId(),
        fabUnitId,
        position: position + out.length,
        process: d.process,
        make: d.make ?? null,
        model: d.model ?? null,
        envelopeXMm: d.envelopeMm?.x ?? null,
        envelopeYMm: d.envelopeMm?.y ?? null,
        envelopeZMm: d.envelopeMm?.z ?? null,
        materials: [...new Set(d.materials)],
        status: d.status,
        openingHours: d.openingHours ?? null,
        okwGroup: firstGroup + i,
        okwQuantity: d.quantity ?? null,
      });
    }
  });
  return out;
}

/** One row per material; a material listed twice keeps its first entry. */
export function stockRecordsOf(drafts: readonly MaterialStockDraft[], fabUnitId: string, position: number): StockWrite[] {
  const out: StockWrite[] = [];
  for (const d of drafts) {
    if (out.some((s) => s.material === d.material)) continue;
    const known = d.quantity !== undefined && d.unit !== undefined;
    out.push({
      fabUnitId,
      material: d.material,
      position: position + out.length,
      quantity: known ? d.quantity! : null,
      unit: known ? d.unit! : null,
    });
  }
  return out;
}

// --- helpers ------------------------------------------------------------------------------

/** JSON with object keys sorted: equal data, equal text (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const val = (v as Record<string, unknown>)[k];
      if (val !== undefined) out[k] = sortKeys(val);
    }
    return out;
  }
  return v;
}

export function compact<T extends object>(o: T): T {
  const out = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Decimal noise of numeric − numeric in binary floats (0.3 − 0.1). */
export function round9(n: number): number {
  return Number(n.toPrecision(12));
}
