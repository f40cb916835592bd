/**
 * Open Know Where out: an OKW v1 facility (snake_case keys as in the IoP Alliance's
 * supply-graph-ai). Processes and materials are written as our canonical taxonomy ids,
 * which parseOkw (and the taxonomy) read back exactly; equipment_type carries the process's
 * readable name. What OKW has no field for travels as plain extra properties, which OKW
 * readers ignore: stock quantities on `typical_materials`, machine availability as the
 * equipment `condition`, and a `cosmolocal` block (kind, timezone, source).
 *
 * Round-trip spec: parseOkw(toOkwYaml(u)) returns a draft deep-equal to u for any draft in
 * canonical form (as parseOkw produces: no undefined values, no empty lists).
 */
import { stringify } from 'yaml';
import type { FabUnitDraft, MachineDraft } from '#libs/contracts/src/fabrication/fab-unit.js';
import { getProcess } from '#libs/taxonomy/src/index.js';
import { formatOpeningHours } from '../schedule/opening-hours.js';
import { OKW_SYSTEM } from './okw-import.js';
import { CONDITION_FOR_STATUS } from './okw-vocabulary.js';
import { compact, type Json } from './values.js';

export function toOkw(unit: FabUnitDraft): Json {
  const loc = unit.location;
  const address = compact({
    street: loc.address,
    city: loc.city,
    region: loc.region,
    country: loc.country,
    postcode: loc.postcode,
  });
  const hasPoint = loc.lat !== undefined && loc.lon !== undefined;
  const location = compact({
    address: Object.keys(address).length ? address : undefined,
    // OKW's decimal-degrees string; JS number → string keeps every digit.
    gps_coordinates: hasPoint ? `${loc.lat}, ${loc.lon}` : undefined,
  });
  const machines = unit.machines ?? [];
  return compact({
    id: unit.source.system === OKW_SYSTEM ? unit.source.id : undefined,
    name: unit.name,
    location,
    facility_status: unit.status,
    access_type: unit.accessType,
    description: unit.description,
    opening_hours: unit.openingHours ? formatOpeningHours(unit.openingHours) : undefined,
    contact: toAgent(unit),
    equipment: machines.length ? machines.map(toEquipment) : undefined,
    manufacturing_processes: machines.length ? [...new Set(machines.map((m) => m.process))] : undefined,
    typical_materials: unit.materials?.length
      ? unit.materials.map((m) => compact({ material_type: m.material, quantity: m.quantity, unit: m.unit }))
      : undefined,
    cosmolocal: compact({ kind: unit.kind, timezone: unit.timezone, source: compact({ ...unit.source }) }),
  });
}

export function toOkwYaml(unit: FabUnitDraft): string {
  // lineWidth 0: no folding, so descriptions and URLs stay on one line for people diffing files.
  return stringify(toOkw(unit), { lineWidth: 0 });
}

/** OKW's contact is an Agent; its name is required, so a unit without a contact person lends its own. */
function toAgent(unit: FabUnitDraft): Json | undefined {
  const c = unit.contact;
  if (!c.name && !c.email && !c.phone && !unit.url) return undefined;
  const inner = compact({ email: c.email, landline: c.phone });
  return compact({
    name: c.name ?? unit.name,
    contact_person: c.name,
    website: unit.url,
    contact: Object.keys(inner).length ? inner : undefined,
  });
}

function toEquipment(m: MachineDraft): Json {
  const env = m.envelopeMm;
  return compact({
    equipment_type: getProcess(m.process)?.name ?? m.process,
    manufacturing_process: m.process,
    make: m.make,
    model: m.model,
    quantity: m.quantity,
    condition: CONDITION_FOR_STATUS[m.status],
    materials_worked: m.materials.length ? m.materials.map((material_type) => ({ material_type })) : undefined,
    x_travel: env?.x,
    y_travel: env?.y,
    z_travel: env?.z,
    // OKW's build_volume is a volume (mm³); the dimensions above are what matching needs.
    build_volume: env ? Math.round(env.x * env.y * env.z) : undefined,
  });
}
