import type { WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import { type Rng, rngFor } from '#libs/testing/src/prng.js';

/**
 * The seeded equipment of a fab lab: the machines it declares, its material stock and its
 * weekly opening hours. The fablabs.io records say nothing of these, so the demo makes them
 * up, deterministically (seed + lab name and url), from a catalogue of machines common in
 * fab labs. Bodies are shaped as the HTTP API takes them.
 */

export interface MachineBody {
  process: string;
  make: string;
  model: string;
  envelopeMm?: { x: number; y: number; z: number };
  materials: string[];
  quantity?: number;
}

export interface StockBody {
  material: string;
  quantity: number;
  unit: string;
}

export interface Equipment {
  timezone: string;
  hoursName: string;
  openingHours: WeeklySchedule;
  machines: MachineBody[];
  stock: StockBody[];
}

export type Capability = 'fdm' | 'laser' | 'cnc' | 'pcb' | 'sla' | 'vinyl' | 'router';

interface CatalogueEntry {
  make: string;
  model: string;
  envelopeMm?: { x: number; y: number; z: number };
  materials: string[];
}

const CATALOGUE: Record<Capability, { process: string | string[]; models: CatalogueEntry[] }> = {
  fdm: {
    process: '3d-printing.fdm',
    models: [
      { make: 'Prusa', model: 'MK4', envelopeMm: { x: 250, y: 210, z: 220 }, materials: ['pla', 'petg'] },
      { make: 'Ultimaker', model: 'S5', envelopeMm: { x: 330, y: 240, z: 300 }, materials: ['pla', 'petg', 'abs'] },
      { make: 'Bambu Lab', model: 'X1 Carbon', envelopeMm: { x: 256, y: 256, z: 256 }, materials: ['pla', 'petg', 'abs', 'tpu'] },
      { make: 'Creality', model: 'Ender-3 V3', envelopeMm: { x: 220, y: 220, z: 250 }, materials: ['pla', 'petg'] },
    ],
  },
  laser: {
    process: 'laser-cutting',
    models: [
      { make: 'Trotec', model: 'Speedy 400', envelopeMm: { x: 1000, y: 610, z: 12 }, materials: ['plywood', 'acrylic', 'mdf', 'cardboard'] },
      { make: 'Epilog', model: 'Fusion Pro 32', envelopeMm: { x: 812, y: 508, z: 10 }, materials: ['plywood', 'acrylic', 'mdf'] },
      { make: 'BRM', model: '90x60', envelopeMm: { x: 900, y: 600, z: 10 }, materials: ['plywood', 'acrylic', 'mdf', 'cardboard'] },
    ],
  },
  cnc: {
    process: 'cnc-milling',
    models: [
      { make: 'Datron', model: 'neo', envelopeMm: { x: 520, y: 420, z: 220 }, materials: ['aluminium-6061', 'aluminium', 'brass', 'hdpe'] },
      { make: 'Tormach', model: '1100MX', envelopeMm: { x: 457, y: 254, z: 413 }, materials: ['aluminium-6061', 'aluminium', 'steel', 'brass'] },
    ],
  },
  pcb: {
    process: ['pcb-assembly', 'soldering'],
    models: [
      { make: 'LPKF', model: 'ProtoPlace S', envelopeMm: { x: 300, y: 300, z: 30 }, materials: ['electronic-components'] },
      { make: 'Weller', model: 'WT 1014', materials: ['solder'] },
    ],
  },
  sla: {
    process: '3d-printing.sla',
    models: [{ make: 'Formlabs', model: 'Form 3+', envelopeMm: { x: 145, y: 145, z: 185 }, materials: ['resin'] }],
  },
  vinyl: {
    process: 'vinyl-cutting',
    models: [{ make: 'Roland', model: 'CAMM-1 GS-24', envelopeMm: { x: 584, y: 25_000, z: 1 }, materials: ['vinyl'] }],
  },
  router: {
    process: 'cnc-routing',
    models: [{ make: 'ShopBot', model: 'PRSalpha 96-48', envelopeMm: { x: 2440, y: 1220, z: 150 }, materials: ['plywood', 'mdf', 'wood'] }],
  },
};

const day = (open: string, close: string) => [{ open, close }];
const days = (names: string[], spans: { open: string; close: string }[]): WeeklySchedule =>
  Object.fromEntries(names.map((d) => [d, spans]));
const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** Typical fab lab weeks: office hours, afternoon open labs, school labs, evenings and weekends. */
export const HOURS_TEMPLATES: readonly { name: string; hours: WeeklySchedule; weight: number }[] = [
  { name: 'weekdays 09:00–17:00', hours: days(WEEK, day('09:00', '17:00')), weight: 4 },
  { name: 'Tue–Sat 14:00–20:00', hours: days(['tue', 'wed', 'thu', 'fri', 'sat'], day('14:00', '20:00')), weight: 3 },
  { name: 'school days 08:30–16:30', hours: days(WEEK, day('08:30', '16:30')), weight: 2 },
  {
    name: 'evenings and Saturday',
    hours: { tue: day('18:00', '22:00'), thu: day('18:00', '22:00'), sat: day('10:00', '18:00') },
    weight: 2,
  },
  { name: 'long days', hours: { ...days(WEEK, day('09:00', '21:00')), sat: day('10:00', '16:00') }, weight: 1 },
  { name: 'weekdays with a lunch break', hours: days(WEEK, [{ open: '09:00', close: '12:30' }, { open: '13:30', close: '18:00' }]), weight: 2 },
];

/** IANA zones of the countries with most labs; elsewhere a fixed offset from the longitude. */
const COUNTRY_ZONES: Record<string, string> = {
  FR: 'Europe/Paris', IT: 'Europe/Rome', DE: 'Europe/Berlin', ES: 'Europe/Madrid', NL: 'Europe/Amsterdam',
  GB: 'Europe/London', BE: 'Europe/Brussels', PT: 'Europe/Lisbon', CH: 'Europe/Zurich', PL: 'Europe/Warsaw',
  AT: 'Europe/Vienna', SE: 'Europe/Stockholm', NO: 'Europe/Oslo', DK: 'Europe/Copenhagen', FI: 'Europe/Helsinki',
  IE: 'Europe/Dublin', GR: 'Europe/Athens', CZ: 'Europe/Prague', HU: 'Europe/Budapest', RO: 'Europe/Bucharest',
  GE: 'Asia/Tbilisi', TR: 'Europe/Istanbul', EG: 'Africa/Cairo', MA: 'Africa/Casablanca', SA: 'Asia/Riyadh',
  IN: 'Asia/Kolkata', CN: 'Asia/Shanghai', KR: 'Asia/Seoul', JP: 'Asia/Tokyo', PH: 'Asia/Manila', TW: 'Asia/Taipei',
  PE: 'America/Lima', CO: 'America/Bogota', CL: 'America/Santiago', AR: 'America/Argentina/Buenos_Aires',
  UY: 'America/Montevideo', EC: 'America/Guayaquil', CR: 'America/Costa_Rica', ZA: 'Africa/Johannesburg',
  KE: 'Africa/Nairobi', NG: 'Africa/Lagos', GH: 'Africa/Accra', NZ: 'Pacific/Auckland',
};

/**
 * The zone a lab's hours are read in. Countries spanning several zones (US, BR, RU, CA, MX,
 * AU…) and the rest get the nearest whole-hour offset of their longitude (`Etc/GMT-1` is UTC+1).
 */
export function timezoneFor(country: string | undefined, lon: number): string {
  const zone = country ? COUNTRY_ZONES[country.toUpperCase()] : undefined;
  if (zone) return zone;
  const offset = Math.max(-12, Math.min(14, Math.round(lon / 15)));
  if (offset === 0) return 'Etc/UTC';
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/** Stock a lab keeps for each capability (quantity ranges, in the material's usual unit). */
const STOCK: Record<Capability, { material: string; unit: string; lo: number; hi: number; step: number }[]> = {
  fdm: [
    { material: 'pla', unit: 'kg', lo: 2, hi: 8, step: 1 },
    { material: 'petg', unit: 'kg', lo: 2, hi: 6, step: 1 },
  ],
  laser: [
    { material: 'plywood', unit: 'm2', lo: 6, hi: 15, step: 3 },
    { material: 'acrylic', unit: 'm2', lo: 1, hi: 4, step: 0.5 },
    { material: 'mdf', unit: 'm2', lo: 3, hi: 9, step: 3 },
  ],
  cnc: [{ material: 'aluminium-6061', unit: 'kg', lo: 5, hi: 20, step: 5 }],
  pcb: [
    { material: 'electronic-components', unit: 'pcs', lo: 500, hi: 2000, step: 100 },
    { material: 'solder', unit: 'g', lo: 250, hi: 1000, step: 250 },
  ],
  sla: [{ material: 'resin', unit: 'l', lo: 1, hi: 4, step: 1 }],
  vinyl: [{ material: 'vinyl', unit: 'm2', lo: 5, hi: 20, step: 5 }],
  router: [{ material: 'plywood', unit: 'm2', lo: 6, hi: 15, step: 3 }],
};

export interface LabInput {
  /** Stable identity of the lab (name and url): the same lab gets the same equipment. */
  key: string;
  country?: string;
  lon: number;
}

export interface CouncilLabOptions {
  /** Exactly the capabilities of the demo's processes this lab has (one machine each). */
  capabilities: Capability[];
  /** The region's usual hours and zone. */
  hoursName: string;
  openingHours: WeeklySchedule;
  timezone: string;
  /** Multiplies stock: a council's lab stocks up for its orders. */
  stockFactor: number;
}

/** What a lab has: seeded from its key, or fixed capabilities and hours for a council lab. */
export function equipmentFor(lab: LabInput, seed: number, council?: CouncilLabOptions): Equipment {
  const rng = rngFor(seed, 'equipment', lab.key);
  const capabilities = council ? [...council.capabilities] : seededCapabilities(rng);
  if (council) {
    // Council labs have a resin printer or a vinyl cutter too, like real labs; nobody's requests
    // need them and the council prices neither, so they change no budget.
    if (!capabilities.includes('sla') && rng.chance(0.3)) capabilities.push('sla');
    if (!capabilities.includes('vinyl') && rng.chance(0.3)) capabilities.push('vinyl');
  }
  const machines: MachineBody[] = [];
  const stock = new Map<string, StockBody>();
  for (const capability of capabilities) {
    const entry = CATALOGUE[capability];
    const processes = Array.isArray(entry.process) ? entry.process : [entry.process];
    if (processes.length > 1) {
      // One station per process (pick-and-place, then the soldering iron).
      processes.forEach((process, i) => machines.push(machine(process, entry.models[i]!, 1)));
    } else {
      // A council lab offers one machine per process, so a request's plan names the lab's only one.
      const count = capability === 'fdm' && !council ? rng.weighted([[1, 3], [2, 3], [3, 1]] as const) : 1;
      machines.push(machine(processes[0]!, rng.pick(entry.models), count));
    }
    for (const s of STOCK[capability]) {
      const steps = Math.round((s.hi - s.lo) / s.step);
      const quantity = round3((s.lo + rng.int(0, steps) * s.step) * (council?.stockFactor ?? 1));
      const known = stock.get(s.material);
      if (!known || known.quantity < quantity) stock.set(s.material, { material: s.material, quantity, unit: s.unit });
    }
  }
  const template = council ? { name: council.hoursName, hours: council.openingHours } : rng.weighted(HOURS_TEMPLATES.map((t) => [t, t.weight] as const));
  return {
    timezone: council?.timezone ?? timezoneFor(lab.country, lab.lon),
    hoursName: template.name,
    openingHours: template.hours,
    machines,
    stock: [...stock.values()],
  };
}

function seededCapabilities(rng: Rng): Capability[] {
  const out: Capability[] = [];
  if (rng.chance(0.9)) out.push('fdm');
  if (rng.chance(0.7)) out.push('laser');
  if (rng.chance(0.2)) out.push('cnc');
  if (rng.chance(0.15)) out.push('pcb');
  if (rng.chance(0.3)) out.push('sla');
  if (rng.chance(0.35)) out.push('vinyl');
  if (rng.chance(0.15)) out.push('router');
  return out.length ? out : ['fdm'];
}

function machine(process: string, entry: CatalogueEntry, quantity: number): MachineBody {
  return {
    process,
    make: entry.make,
    model: entry.model,
    ...(entry.envelopeMm ? { envelopeMm: { ...entry.envelopeMm } } : {}),
    materials: [...entry.materials],
    ...(quantity > 1 ? { quantity } : {}),
  };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
