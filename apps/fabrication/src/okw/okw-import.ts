/**
 * Open Know Where in: OKW v1 facilities (one object or a list, JSON or YAML, any key
 * spelling), Helpful Engineering's variant (processes and tools as Wikidata ids, contact as
 * one string, no name) and the fablabs.io harvest. Lenient where it safely can be: a record
 * is kept with what could be read, and every problem is named in `warnings`. Only an
 * unreadable body, or one with no facility in it, is an error.
 */
import { parseAllDocuments } from 'yaml';
import type {
  FabUnitDraft,
  FabUnitKind,
  FabUnitLocation,
  MachineDraft,
  MachineStatus,
  MaterialStockDraft,
} from '#libs/contracts/src/fabrication/fab-unit.js';
import { FAB_UNIT_KINDS, MACHINE_STATUSES } from '#libs/contracts/src/fabrication/fab-unit.js';
import type { BuildEnvelopeMm } from '#libs/contracts/src/commons/design-version.js';
import { canonicalMaterial, canonicalProcess, canonicalUnit, processSatisfies } from '#libs/taxonomy/src/index.js';
import { isGeoPoint } from '../geo/haversine.js';
import { isValidTimezone, parseOpeningHours } from '../schedule/opening-hours.js';
import { countryCode } from './country-codes.js';
import { dedupeDrafts } from './dedupe.js';
import { fromFablabsIo, isFablabsIoRecord } from './fablabs-io.js';
import { ImportLog } from './import-log.js';
import { inferKind, machineStatusFromCondition, normalizeAccessType, normalizeStatus } from './okw-vocabulary.js';
import { compact, isObject, list, num, snakeKeys, str, text, type Json } from './values.js';

export type OkwMediaType = 'application/yaml' | 'application/json';

export interface OkwImportStats {
  /** Records found in the body. */
  records: number;
  /** Units after merging duplicates. */
  units: number;
  /** Records folded into an earlier one (same name and url). */
  merged: number;
  /** Records that could not become a unit (no name). */
  skipped: number;
  /** Units kept without usable coordinates. */
  notLocatable: number;
}

export type OkwImportResult =
  | { units: FabUnitDraft[]; warnings: string[]; stats: OkwImportStats }
  | { error: string };

export interface OkwImportOptions {
  /** Names a record that has none (Helpful Engineering's variant), e.g. the uploaded file's name. */
  sourceName?: string;
}

export const OKW_SYSTEM = 'okw';

export function parseOkw(body: string, mediaType: OkwMediaType | string, options: OkwImportOptions = {}): OkwImportResult {
  if (typeof body !== 'string' || !body.trim()) return { error: 'empty body: expected an OKW facility' };
  const log = new ImportLog();
  const parsed = parseBody(body, mediaType, log);
  if ('error' in parsed) return parsed;

  const records = recordsOf(parsed.value);
  if (!records) return { error: 'expected an OKW facility object or a list of them' };
  if (!records.length) return { error: 'no facility records in the body' };

  const drafts: FabUnitDraft[] = [];
  let skipped = 0;
  for (const [i, record] of records.entries()) {
    const label = `record ${i + 1}`;
    let draft: FabUnitDraft | undefined;
    if (!isObject(record)) log.note('not an object: skipped', label);
    else if (isFablabsIoRecord(record)) draft = fromFablabsIo(record, log, label);
    else draft = fromOkwRecord(snakeKeys(record) as Json, log, label, options);
    if (draft) drafts.push(draft);
    else skipped++;
  }
  if (!drafts.length) return { error: `no usable facility: ${log.lines().join('; ')}` };

  const { units, merged } = dedupeDrafts(drafts);
  for (const m of merged) {
    log.note('same name and url as an earlier record: merged', `${m.name} (records ${m.indexes.map((i) => i + 1).join(', ')})`);
  }
  return {
    units,
    warnings: log.lines(),
    stats: {
      records: records.length,
      units: units.length,
      merged: drafts.length - units.length,
      skipped,
      notLocatable: units.filter((u) => !u.locatable).length,
    },
  };
}

function parseBody(body: string, mediaType: string, log: ImportLog): { value: unknown } | { error: string } {
  const type = mediaType.toLowerCase();
  if (type.includes('json')) {
    try {
      return { value: JSON.parse(body) };
    } catch (e) {
      return { error: `invalid JSON: ${(e as Error).message}` };
    }
  }
  if (type.includes('yaml') || type.includes('yml')) {
    const docs = parseAllDocuments(body);
    if (!Array.isArray(docs)) return { error: 'empty YAML document' };
    for (const doc of docs) {
      if (doc.errors.length) return { error: `invalid YAML: ${doc.errors[0].message}` };
      for (const w of doc.warnings) log.note(`YAML: ${w.message}`, 'document');
    }
    const values = docs.map((d) => d.toJS() as unknown);
    // Several `---` documents are several facilities.
    return { value: values.length === 1 ? values[0] : values.flatMap((v) => (Array.isArray(v) ? v : [v])) };
  }
  return { error: `unsupported media type "${mediaType}": use application/json or application/yaml` };
}

function recordsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isObject(value)) return undefined;
  for (const key of ['facilities', 'manufacturing_facilities', 'units', 'items', 'data']) {
    if (Array.isArray(value[key])) return value[key] as unknown[];
  }
  return [value];
}

// --- OKW v1 and Helpful Engineering's variant ---------------------------------------------

function fromOkwRecord(r: Json, log: ImportLog, label: string, options: OkwImportOptions): FabUnitDraft | undefined {
  const ext = isObject(r.cosmolocal) ? r.cosmolocal : {};
  const ownName = str(r.name) ?? str(r.title) ?? str(r.facility_name);
  const contact = readContact(r.contact, ownName);
  const name = ownName ?? str(options.sourceName) ?? contact.name;
  if (!name) {
    log.note('no name, title or contact to name it by: skipped', label);
    return undefined;
  }
  if (!ownName) log.note(`no name: named after the ${options.sourceName ? 'source' : 'contact'}`, name);

  const location = readLocation(r, log, name);
  const machines = readMachines(r, log, name);
  const materials = readStock(r, log, name);

  return compact({
    name,
    kind: readKind(ext, r, name),
    status: readStatus(r, log, name),
    accessType: readAccessType(r, log, name),
    location,
    locatable: location.lat !== undefined,
    url:
      str(r.url) ??
      str(r.website) ??
      contact.website ??
      (isObject(r.owner) ? str(r.owner.website) : undefined) ??
      str(r.documentation_home),
    contact: compact({ name: contact.name, email: contact.email, phone: contact.phone }),
    timezone: readTimezone(ext, r, log, name),
    description: text(r.description),
    openingHours: readOpeningHours(r, log, name),
    machines: machines.length ? machines : undefined,
    materials: materials.length ? materials : undefined,
    source: readSource(ext, r),
  });
}

function readKind(ext: Json, r: Json, name: string): FabUnitKind {
  const k = str(ext.kind)?.toLowerCase();
  if (k && (FAB_UNIT_KINDS as readonly string[]).includes(k)) return k as FabUnitKind;
  const affiliations = list(r.affiliations ?? r.affiliation).map((a) => (isObject(a) ? `${str(a.name) ?? ''} ${str(a.website) ?? ''}` : str(a)));
  return inferKind(name, ...affiliations) ?? 'facility';
}

function readStatus(r: Json, log: ImportLog, name: string): FabUnitDraft['status'] {
  const raw = str(r.facility_status) ?? str(r.status);
  if (!raw) {
    log.note('no facility status: assumed Active', name);
    return 'Active';
  }
  const status = normalizeStatus(raw);
  if (!status) log.note(`facility status "${raw}" is not an OKW status: assumed Active`, name);
  return status ?? 'Active';
}

function readAccessType(r: Json, log: ImportLog, name: string): FabUnitDraft['accessType'] {
  const raw = str(r.access_type);
  if (!raw) return undefined;
  const access = normalizeAccessType(raw);
  if (!access) log.note(`access type "${raw}" is not an OKW access type: left out`, name);
  return access;
}

function readTimezone(ext: Json, r: Json, log: ImportLog, name: string): string | undefined {
  const raw = str(ext.timezone) ?? str(r.timezone);
  if (!raw) return undefined;
  if (isValidTimezone(raw)) return raw;
  log.note(`timezone "${raw}" is not an IANA zone: left out`, name);
  return undefined;
}

function readOpeningHours(r: Json, log: ImportLog, name: string): FabUnitDraft['openingHours'] {
  const raw = str(r.opening_hours);
  if (!raw) return undefined;
  const schedule = parseOpeningHours(raw);
  if (!schedule) log.note(`opening hours "${raw}" not understood (expected e.g. "Mo-Fr 09:00-17:00"): left out`, name);
  return schedule;
}

function readSource(ext: Json, r: Json): FabUnitDraft['source'] {
  if (isObject(ext.source) && str(ext.source.system)) {
    return compact({ system: str(ext.source.system)!, id: str(ext.source.id) });
  }
  return compact({ system: OKW_SYSTEM, id: str(r.id) });
}

interface ContactRead {
  name?: string;
  email?: string;
  phone?: string;
  website?: string;
}

const EMAIL = /[^\s,;<>()]+@[^\s,;<>()]+\.[^\s,;<>()]+/;
const PHONE = /\+?\d[\d ().-]{6,}\d/;

/**
 * OKW's contact is an Agent (name, contact_person, website, contact {email, landline…});
 * Helpful Engineering writes one string ("Robert L. Read, PhD, read.robert@gmail.com").
 * An Agent named like the facility itself carries no person's name (that is how toOkw
 * writes a unit with a url but no contact person).
 */
function readContact(c: unknown, facilityName: string | undefined): ContactRead {
  if (typeof c === 'string') {
    const email = EMAIL.exec(c)?.[0];
    const rest = email ? c.replace(email, '') : c;
    const phone = PHONE.exec(rest)?.[0];
    const name = str((phone ? rest.replace(phone, '') : rest).replace(/^[\s,;:]+|[\s,;:<>]+$/g, ''));
    return compact({ name, email, phone: str(phone) });
  }
  if (!isObject(c)) return {};
  const inner = isObject(c.contact) ? c.contact : {};
  const agentName = str(c.name);
  return compact({
    name: str(c.contact_person) ?? (agentName !== facilityName ? agentName : undefined),
    email: str(inner.email) ?? str(c.email),
    phone: str(inner.landline) ?? str(inner.mobile) ?? str(inner.phone) ?? str(inner.whatsapp) ?? str(c.phone),
    website: str(c.website),
  });
}

function readLocation(r: Json, log: ImportLog, name: string): FabUnitLocation {
  const loc: Json = isObject(r.location) ? r.location : typeof r.location === 'string' ? { address: r.location } : {};
  const addr: Json = isObject(loc.address) ? loc.address : {};
  const line =
    typeof loc.address === 'string'
      ? str(loc.address)
      : str([[str(addr.number), str(addr.street)].filter(Boolean).join(' '), str(addr.district)].filter(Boolean).join(', '));
  const rawCountry = str(addr.country) ?? str(loc.country) ?? str(r.country);
  const country = countryCode(rawCountry);
  if (rawCountry && !country) log.note(`country "${rawCountry}" not recognised: left out`, name);

  const point = readPoint(loc, r);
  if (point === 'invalid') log.note('coordinates unreadable or out of range: kept, not locatable', name);
  else if (!point) log.note('no coordinates: kept, not locatable', name);
  return compact({
    ...(point && point !== 'invalid' ? point : {}),
    address: line,
    city: str(addr.city) ?? str(loc.city),
    region: str(addr.region) ?? str(loc.region),
    country,
    postcode: str(addr.postcode) ?? str(addr.zip_code) ?? str(addr.postal_code) ?? str(loc.postcode),
  });
}

/** OKW's `gps_coordinates` ("42.35, -71.05"), or {lat, lon} / {latitude, longitude} anywhere near. */
function readPoint(loc: Json, r: Json): { lat: number; lon: number } | 'invalid' | undefined {
  const candidates: { lat?: number; lon?: number }[] = [];
  const gps = loc.gps_coordinates ?? r.gps_coordinates;
  if (typeof gps === 'string' && gps.trim()) {
    const parts = gps.split(/[,;]|\s+(?=[-+]?\d)/).map((p) => p.trim()).filter(Boolean);
    candidates.push(parts.length === 2 ? { lat: num(parts[0]), lon: num(parts[1]) } : {});
  }
  for (const o of [loc.coordinates, loc.geocoding, loc, r]) {
    if (isObject(o) && (o.lat ?? o.latitude) !== undefined) {
      candidates.push({ lat: num(o.lat ?? o.latitude), lon: num(o.lon ?? o.lng ?? o.longitude) });
    }
  }
  if (!candidates.length) return undefined;
  const p = candidates[0];
  return isGeoPoint(p) ? { lat: p.lat, lon: p.lon } : 'invalid';
}

function readMachines(r: Json, log: ImportLog, name: string): MachineDraft[] {
  const machines: MachineDraft[] = [];
  for (const e of list(r.equipment)) {
    const m = readEquipment(e, log, name);
    if (m) machines.push(m);
  }
  // Processes named at facility level (OKW manufacturing_processes; HE processes and tools)
  // that no listed equipment covers still say the unit can do them: keep each as a machine
  // with unknown envelope and materials, which the matcher will not pick until completed.
  const listed = [...list(r.manufacturing_processes), ...list(r.processes), ...list(r.tool_list_atoms)];
  for (const p of listed) {
    const { id, shown } = resolveProcess(p);
    if (!id) {
      log.note(`process "${shown}" not in the process taxonomy: left out`, name);
      continue;
    }
    if (machines.some((m) => processSatisfies(m.process, id))) continue;
    log.note(`process ${id} listed without equipment: added as a machine with unknown envelope and materials`, name);
    machines.push({ process: id, materials: [], status: 'available' });
  }
  return machines;
}

/** A process named by id, alias, Wikipedia URL or Wikidata id/URL, or an HE `{identifier, link, description}`. */
function resolveProcess(p: unknown): { id?: string; shown: string } {
  const names = isObject(p) ? [p.identifier, p.link, p.name, p.description].map(str) : [str(p)];
  for (const n of names) {
    const id = n ? canonicalProcess(n) : undefined;
    if (id) return { id, shown: n! };
  }
  const shown = names.filter(Boolean).slice(0, 2).join(' — ') || JSON.stringify(p);
  return { shown };
}

function readEquipment(e: unknown, log: ImportLog, name: string): MachineDraft | undefined {
  if (!isObject(e)) {
    const { id, shown } = resolveProcess(e);
    if (!id) log.note(`equipment "${shown}" not in the process taxonomy: left out`, name);
    return id ? { process: id, materials: [], status: 'available' } : undefined;
  }
  const raws = [e.manufacturing_process, e.process, e.equipment_type, e.type].map(str).filter((s): s is string => !!s);
  const process = raws.map((s) => canonicalProcess(s)).find(Boolean);
  const what = [str(e.make), str(e.model)].filter(Boolean).join(' ') || raws[0] || 'equipment';
  if (!process) {
    log.note(`equipment ${what}: process "${raws[0] ?? '(none)'}" not in the process taxonomy: left out`, name);
    return undefined;
  }
  const materials: string[] = [];
  for (const m of list(e.materials_worked ?? e.materials)) {
    const raw = isObject(m) ? (str(m.material_type) ?? str(m.name)) : str(m);
    const id = raw ? canonicalMaterial(raw) : undefined;
    if (!id) log.note(`material "${raw ?? JSON.stringify(m)}" not in the material taxonomy: left out`, name);
    else if (!materials.includes(id)) materials.push(id);
  }
  const rawStatus = str(e.status)?.toLowerCase();
  const status: MachineStatus =
    rawStatus && (MACHINE_STATUSES as readonly string[]).includes(rawStatus)
      ? (rawStatus as MachineStatus)
      : machineStatusFromCondition(str(e.condition));
  const quantity = num(e.quantity);
  if (quantity !== undefined && !(Number.isInteger(quantity) && quantity >= 1)) {
    log.note(`equipment ${what}: quantity ${quantity} is not a positive whole number: left out`, name);
  }
  return compact({
    process,
    make: str(e.make),
    model: str(e.model),
    envelopeMm: readEnvelope(e, log, name, what),
    materials,
    status,
    quantity: quantity !== undefined && Number.isInteger(quantity) && quantity >= 1 ? quantity : undefined,
  });
}

const DIMS = /(\d+(?:\.\d+)?)\s*(?:mm)?\s*[x×*]\s*(\d+(?:\.\d+)?)\s*(?:mm)?\s*[x×*]\s*(\d+(?:\.\d+)?)/i;

/** x/y/z travel (OKW), an `{x, y, z}` object, or text like "250 x 210 x 210 mm". */
function readEnvelope(e: Json, log: ImportLog, name: string, what: string): BuildEnvelopeMm | undefined {
  const fromXyz = (x: unknown, y: unknown, z: unknown) => {
    const [a, b, c] = [num(x), num(y), num(z)];
    return a! > 0 && b! > 0 && c! > 0 ? { x: a!, y: b!, z: c! } : undefined;
  };
  const travel = fromXyz(e.x_travel, e.y_travel, e.z_travel);
  if (travel) return travel;
  for (const v of [e.envelope_mm, e.build_volume, e.working_volume]) {
    if (isObject(v)) {
      const o = fromXyz(v.x, v.y, v.z);
      if (o) return o;
    }
    if (typeof v === 'string') {
      const m = DIMS.exec(v);
      if (m) return fromXyz(m[1], m[2], m[3]);
    }
  }
  if (num(e.build_volume) !== undefined) {
    log.note(`equipment ${what}: build_volume is a volume, not dimensions: envelope unknown`, name);
  }
  return undefined;
}

function readStock(r: Json, log: ImportLog, name: string): MaterialStockDraft[] {
  const out: MaterialStockDraft[] = [];
  for (const m of list(r.typical_materials)) {
    const raw = isObject(m) ? (str(m.material_type) ?? str(m.material) ?? str(m.name)) : str(m);
    const material = raw ? canonicalMaterial(raw) : undefined;
    if (!material) {
      log.note(`material "${raw ?? JSON.stringify(m)}" not in the material taxonomy: left out`, name);
      continue;
    }
    const quantity = isObject(m) ? num(m.quantity) : undefined;
    const rawUnit = isObject(m) ? str(m.unit) : undefined;
    const unit = rawUnit ? canonicalUnit(rawUnit) : undefined;
    if (quantity !== undefined && (!unit || quantity < 0)) {
      log.note(`stock of ${material}: quantity ${quantity} ${rawUnit ?? '(no unit)'} unreadable: kept without quantity`, name);
      out.push({ material });
    } else out.push(quantity !== undefined ? { material, quantity, unit } : { material });
  }
  // HE's inventory atoms are parts more often than materials; keep the ones that are materials.
  const unknown: string[] = [];
  for (const a of list(r.inventory_atoms)) {
    const names = isObject(a) ? [a.identifier, a.description].map(str) : [str(a)];
    const material = names.map((n) => (n ? canonicalMaterial(n) : undefined)).find(Boolean);
    if (material) {
      if (!out.some((s) => s.material === material)) out.push({ material });
    } else unknown.push(names.find(Boolean) ?? '?');
  }
  if (unknown.length) log.note(`inventory atoms not in the material taxonomy, left out: ${unknown.join(', ')}`, name);
  return out;
}
