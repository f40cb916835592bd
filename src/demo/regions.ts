import type { WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import type { Capability } from './equipment.js';
import { timezoneFor } from './equipment.js';
import { seededOrder } from '#libs/testing/src/prng.js';

/**
 * Where the demo's councils are. The fablabs.io data is densest around Paris (37 labs within
 * 40 km) and São Paulo (32): those two councils come first, with purposes written as their
 * communities would; `--scale N` adds councils in the next densest regions of the data, with
 * purposes written for any city.
 *
 * A council pools eight labs: twins of each of four roles (print shop, laser studio, machine
 * shop, electronics lab), open the same hours, each with one machine of each process of its
 * role. The round's limit per process is then the free time of two machines in the period, and
 * that is where production reserves what the round funds: on the machine a request's plan
 * named, or, when that one is full, on the other machine of the pool (a step is never split
 * across machines), inside the period. A declined job is rerouted inside the pool too: to the
 * twin of the lab that declined it. plan-requests.ts sizes the requests so that whatever the
 * tally funds can be placed, and a twin keeps room for a declined job.
 */

export type DesignKey = 'crutch-tip' | 'sensor-enclosure' | 'solar-bracket' | 'pump-controller-pcb';

export interface RequestTemplate {
  design: DesignKey;
  /** `{n}` is the quantity, `{city}` the region's city. */
  purpose: string;
  /** Short label for the report. */
  label: string;
}

export interface CouncilRegion {
  key: string;
  councilName: string;
  scope: string;
  center: { lat: number; lon: number };
  timezone: string;
  /** Every pooled lab's: twins open the same hours, so either can take the other's work. */
  hoursName: string;
  openingHours: WeeklySchedule;
  templates: RequestTemplate[];
}

const span = (open: string, close: string) => [{ open, close }];
const on = (days: string[], open: string, close: string): WeeklySchedule => Object.fromEntries(days.map((d) => [d, span(open, close)]));
const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri'];

export const PARIS: CouncilRegion = {
  key: 'ile-de-france',
  councilName: 'Île-de-France fab lab council',
  scope: 'Machine time of fab labs of Paris and its suburbs, for the needs of the communities around them',
  center: { lat: 48.8566, lon: 2.3522 },
  timezone: 'Europe/Paris',
  hoursName: 'Tue–Sat 10:00–19:00',
  openingHours: on(['tue', 'wed', 'thu', 'fri', 'sat'], '10:00', '19:00'),
  templates: [
    { design: 'crutch-tip', label: 'crutch tips, health centre', purpose: '{n} replacement crutch tips for the physiotherapy unit of a health centre in Saint-Denis, whose patients wait weeks for spares' },
    { design: 'sensor-enclosure', label: 'air sensors, schools', purpose: '{n} air-quality sensor enclosures for primary schools along the Boulevard Périphérique, for a parents’ citizen-science network' },
    { design: 'solar-bracket', label: 'solar brackets, gardens', purpose: '{n} brackets for the solar irrigation pumps of the shared gardens of the 20th arrondissement' },
    { design: 'pump-controller-pcb', label: 'pump controllers, co-op', purpose: '{n} pump controller boards for a rainwater harvesting co-op in Montreuil' },
    { design: 'crutch-tip', label: 'crutch tips, aid library', purpose: '{n} crutch tips for a mobility-aid lending library run by a neighbourhood association in Belleville' },
    { design: 'sensor-enclosure', label: 'sensor boxes, canal', purpose: '{n} sensor enclosures for the volunteers monitoring water quality along the Canal de l’Ourcq' },
    { design: 'crutch-tip', label: 'crutch tips, shelter', purpose: '{n} crutch tips for the walking aids of a refugee reception centre in Ivry-sur-Seine' },
    { design: 'solar-bracket', label: 'solar brackets, urban farm', purpose: '{n} solar panel brackets for the pumps of an urban farm in Saint-Ouen' },
    { design: 'crutch-tip', label: 'crutch tips, care home', purpose: '{n} tips for the walking frames of a care home in Vitry' },
    { design: 'sensor-enclosure', label: 'sensor boxes, cyclists', purpose: '{n} enclosures for the pollution sensors a cyclists’ association mounts on bike racks' },
    { design: 'pump-controller-pcb', label: 'pump controllers, allotments', purpose: '{n} controller boards for the allotment pumps of the Seine-Saint-Denis garden federation' },
    { design: 'sensor-enclosure', label: 'CO₂ sensors, centres', purpose: '{n} enclosures for the CO₂ sensors of the community centres of the 18th arrondissement' },
  ],
};

export const SAO_PAULO: CouncilRegion = {
  key: 'sao-paulo',
  councilName: 'Greater São Paulo fab lab council',
  scope: 'Machine time of fab labs of the São Paulo metropolitan region, for the needs of the communities around them',
  center: { lat: -23.5505, lon: -46.6333 },
  timezone: 'America/Sao_Paulo',
  hoursName: 'Mon–Fri 09:00–18:00, Sat 09:00–13:00',
  openingHours: { ...on(WEEK, '09:00', '18:00'), sat: span('09:00', '13:00') },
  templates: [
    { design: 'crutch-tip', label: 'crutch tips, health post', purpose: '{n} crutch tips for the patients of a community health post (UBS) in Guarulhos' },
    { design: 'sensor-enclosure', label: 'air sensors, Zona Leste', purpose: '{n} air-quality sensor enclosures for public schools of the Zona Leste, measuring what the children breathe' },
    { design: 'solar-bracket', label: 'solar brackets, Parelheiros', purpose: '{n} brackets for the solar pumps of family farms in Parelheiros that supply school meals' },
    { design: 'pump-controller-pcb', label: 'pump controllers, cisterns', purpose: '{n} pump controllers for the rainwater cisterns of a housing co-op in Paraisópolis' },
    { design: 'crutch-tip', label: 'crutch tips, rehab centre', purpose: '{n} replacement crutch tips for a rehabilitation centre in Santo André' },
    { design: 'sensor-enclosure', label: 'sensor boxes, Tietê', purpose: '{n} sensor enclosures for a water-quality project along the Tietê river' },
    { design: 'crutch-tip', label: 'crutch tips, elders’ centre', purpose: '{n} crutch tips for the walking aids of an elders’ day centre in Osasco' },
    { design: 'solar-bracket', label: 'solar brackets, settlement', purpose: '{n} solar panel brackets for the irrigation pumps of a settlement’s vegetable gardens' },
    { design: 'crutch-tip', label: 'crutch tips, school', purpose: '{n} crutch tips for the pupils of a school for children with disabilities in Diadema' },
    { design: 'sensor-enclosure', label: 'sensor boxes, markets', purpose: '{n} enclosures for air sensors at the street markets of the Zona Sul' },
    { design: 'pump-controller-pcb', label: 'pump controllers, gardens', purpose: '{n} controller boards for the community garden pumps of Cidade Tiradentes' },
    { design: 'sensor-enclosure', label: 'flood warning, Pantanal', purpose: '{n} sensor enclosures for the flood-warning stations a neighbourhood runs in Jardim Pantanal' },
  ],
};

/** For the councils `--scale` adds: the same needs, in whatever city the region is. */
export const ANY_CITY_TEMPLATES: readonly RequestTemplate[] = [
  { design: 'crutch-tip', label: 'crutch tips, clinic', purpose: '{n} replacement crutch tips for a community clinic in {city}' },
  { design: 'sensor-enclosure', label: 'air sensors, schools', purpose: '{n} air-quality sensor enclosures for the schools of {city}, for a parents’ citizen-science network' },
  { design: 'solar-bracket', label: 'solar brackets, gardens', purpose: '{n} brackets for the solar irrigation pumps of the community gardens of {city}' },
  { design: 'pump-controller-pcb', label: 'pump controllers, co-op', purpose: '{n} pump controller boards for a rainwater harvesting co-op in {city}' },
  { design: 'crutch-tip', label: 'crutch tips, aid library', purpose: '{n} crutch tips for a mobility-aid lending library in {city}' },
  { design: 'sensor-enclosure', label: 'sensor boxes, river', purpose: '{n} sensor enclosures for volunteers monitoring the water quality of the river at {city}' },
  { design: 'crutch-tip', label: 'crutch tips, shelter', purpose: '{n} crutch tips for the walking aids of a shelter in {city}' },
  { design: 'solar-bracket', label: 'solar brackets, farm', purpose: '{n} solar panel brackets for the pumps of an urban farm near {city}' },
  { design: 'crutch-tip', label: 'crutch tips, care home', purpose: '{n} tips for the walking frames of a care home in {city}' },
  { design: 'sensor-enclosure', label: 'sensor boxes, cyclists', purpose: '{n} enclosures for the pollution sensors of a cyclists’ association in {city}' },
  { design: 'pump-controller-pcb', label: 'pump controllers, allotments', purpose: '{n} controller boards for the allotment pumps of {city}' },
  { design: 'sensor-enclosure', label: 'CO₂ sensors, centres', purpose: '{n} enclosures for the CO₂ sensors of the community centres of {city}' },
];

/**
 * Council units per machine hour and per unit of material. Only what the demo designs use is
 * priced: the round's budget is the pool valued at these rates, so machines nobody asks for
 * (resin printers, vinyl cutters) do not swell it.
 */
export const DEMO_RATES = {
  machineHour: { '3d-printing.fdm': '3', 'laser-cutting': '12', 'cnc-milling': '25', 'pcb-assembly': '8', soldering: '5' },
  material: {
    petg: { unit: 'kg', rate: '2' },
    plywood: { unit: 'm2', rate: '2' },
    acrylic: { unit: 'm2', rate: '6' },
    'aluminium-6061': { unit: 'kg', rate: '2' },
    'electronic-components': { unit: 'pcs', rate: '0.01' },
    solder: { unit: 'kg', rate: '5' },
  },
};

/** The machine processes the demo designs need: a council lab has one machine of those of its role, none of the others. */
export const DEMO_PROCESSES: readonly string[] = Object.keys(DEMO_RATES.machineHour);

/** The roles of a council's labs: one machine of each process the designs need between them. */
export const POOL_ROLES: readonly { role: string; capabilities: Capability[] }[] = [
  { role: 'print shop', capabilities: ['fdm'] },
  { role: 'laser studio', capabilities: ['laser'] },
  { role: 'machine shop', capabilities: ['cnc'] },
  { role: 'electronics lab', capabilities: ['pcb'] },
];
/** Labs of each role a council pools: every process has this many machines in the pool. */
export const TWINS = 2;
export const POOL_SIZE = POOL_ROLES.length * TWINS;

/** The role of the `index`-th lab of a pool: POOL_ROLES in order, each TWINS times in a row. */
export function poolRole(index: number): (typeof POOL_ROLES)[number] {
  return POOL_ROLES[Math.floor(index / TWINS) % POOL_ROLES.length]!;
}

export interface LabRecord {
  id: string;
  key: string;
  name: string;
  lat: number;
  lon: number;
  country?: string;
  city?: string;
}

export interface RegionSelection {
  region: CouncilRegion;
  /** POOL_SIZE labs, their roles by position (poolRole). */
  pool: LabRecord[];
}

export interface UnitSelection {
  regions: RegionSelection[];
  /** Labs elsewhere that the demo equips too. */
  others: LabRecord[];
}

/** Labs within this distance of a council's centre may join it (more distant ones when too few). */
export const POOL_RADIUS_KM = 40;
export const WIDER_RADIUS_KM = 75;
/**
 * Around a council no other lab is equipped: a request delivered there may be matched by any
 * equipped lab within 100 km (the matching default), and a council only funds its own pool.
 */
export const QUIET_RADIUS_KM = 150;

export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const NEEDED = POOL_SIZE;

/**
 * Every region the data can give a council, in the order councils are added: Paris and São
 * Paulo, then the densest places (most labs within POOL_RADIUS_KM; ties by lab key, so the
 * order of the listing does not matter) at least 2 × QUIET_RADIUS_KM from every region before.
 */
export function candidateRegions(labs: readonly LabRecord[]): CouncilRegion[] {
  const chosen: CouncilRegion[] = [PARIS, SAO_PAULO];
  const density = labs
    .map((l) => ({ l, near: within(labs, l, POOL_RADIUS_KM) }))
    .sort((a, b) => b.near.length - a.near.length || (a.l.key < b.l.key ? -1 : a.l.key > b.l.key ? 1 : 0));
  for (const { l, near } of density) {
    if (near.length < NEEDED) break;
    if (chosen.some((r) => haversineKm(r.center, l) < 2 * QUIET_RADIUS_KM)) continue;
    const city = mostCommon(near.map((o) => o.city?.trim()).filter((c): c is string => !!c)) ?? l.name;
    const country = l.country ?? '';
    const key = slug(city) ? slug(`${city}-${country}`) : `region-${chosen.length + 1}-${country.toLowerCase()}`;
    chosen.push({
      key,
      councilName: `${city} fab lab council`,
      scope: `Machine time of the fab labs around ${city}, for the needs of the communities around them`,
      center: { lat: l.lat, lon: l.lon },
      timezone: timezoneFor(country, l.lon),
      hoursName: 'weekdays 09:00–17:00',
      openingHours: on(WEEK, '09:00', '17:00'),
      templates: ANY_CITY_TEMPLATES.map((t) => ({ ...t, purpose: t.purpose.replaceAll('{city}', city) })),
    });
  }
  return chosen;
}

/** `--scale N` runs 2 × N councils; beyond this the data's regions get thin (and the labs to equip elsewhere). */
export const MAX_SCALE = 8;

/** The first `count` of candidateRegions. */
export function chooseRegions(labs: readonly LabRecord[], count: number): CouncilRegion[] {
  const all = candidateRegions(labs);
  if (all.length < count) {
    throw new RangeError(`${count} councils need ${count} regions with ${NEEDED} fab labs each, ${2 * QUIET_RADIUS_KM} km apart; the data has ${all.length}`);
  }
  return all.slice(0, count);
}

/**
 * Which labs get equipment: per council POOL_SIZE labs near its centre (seeded order);
 * elsewhere, `total` labs chosen by seeded hash of each lab's name and url, so the
 * choice does not depend on the order the server lists them. Those are kept away from every
 * region a council could be in (`avoid`, default: the councils of this run), so a later run
 * with more councils finds no lab of an earlier run in its regions.
 */
export function selectUnits(
  labs: readonly LabRecord[],
  regions: readonly CouncilRegion[],
  options: { seed: number; total: number; avoid?: readonly CouncilRegion[] },
): UnitSelection {
  const selected = regions.map((region) => {
    const near = labs.filter((l) => haversineKm(region.center, l) <= POOL_RADIUS_KM);
    const wider = labs.filter((l) => {
      const d = haversineKm(region.center, l);
      return d > POOL_RADIUS_KM && d <= WIDER_RADIUS_KM;
    });
    const ordered = [...seededOrder(near, (l) => l.key, options.seed, region.key), ...seededOrder(wider, (l) => l.key, options.seed, region.key)];
    const pool = ordered.slice(0, POOL_SIZE);
    if (pool.length < POOL_SIZE) throw new RangeError(`${region.councilName}: only ${pool.length} fab labs with coordinates near ${region.center.lat}, ${region.center.lon}`);
    return { region, pool };
  });
  const avoid = options.avoid ?? regions;
  const quiet = (l: LabRecord) => avoid.some((r) => haversineKm(r.center, l) <= QUIET_RADIUS_KM);
  const others = seededOrder(labs.filter((l) => !quiet(l)), (l) => l.key, options.seed, 'elsewhere').slice(0, Math.max(0, options.total));
  return { regions: selected, others };
}

/**
 * The labs within `km` of `center`. Labs more than `km` apart in latitude alone are skipped
 * before the great-circle distance: counting every lab's neighbours is then fast enough not
 * to stall the process (the demo's own HTTP calls share it with the system it started).
 */
function within(labs: readonly LabRecord[], center: LabRecord, km: number): LabRecord[] {
  const dLat = km / 111;
  return labs.filter((o) => Math.abs(o.lat - center.lat) <= dLat && haversineKm(center, o) <= km);
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v.trim(), (counts.get(v.trim()) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
