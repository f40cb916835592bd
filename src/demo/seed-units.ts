import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { DesignVersionView, OkhImportResult } from '#libs/contracts/src/commons/views.js';
import type { FabUnitListItem, FabUnitPage, FabUnitView, MachineView, OkwImportSummary } from '#libs/contracts/src/fabrication/views.js';
import type { DemoContext } from './context.js';
import { ApiError, mapLimit } from './demo-client.js';
import { equipmentFor, type Equipment, type MachineBody } from './equipment.js';
import type { DesignFact, EquipFact } from './facts.js';
import type { DesignInfo } from './plan-requests.js';
import { candidateRegions, type CouncilRegion, DEMO_PROCESSES, MAX_SCALE, DEMO_RATES, type DesignKey, type LabRecord, poolRole, selectUnits, type UnitSelection } from './regions.js';

const MANIFEST_TYPES: Record<string, string> = { '.toml': 'application/toml', '.yml': 'application/yaml', '.yaml': 'application/yaml', '.json': 'application/json' };
const DEMO_DESIGNS: readonly DesignKey[] = ['crutch-tip', 'sensor-enclosure', 'solar-bracket', 'pump-controller-pcb'];
export const FABLABS_FILE = join('okw', 'fablabs-io-2237.json');
/** A pooled lab stocks this many times a lab's usual stock (see equipment.ts) for the council's orders. */
export const COUNCIL_STOCK_FACTOR = 6;

/**
 * Step 1: the OKH manifests of data/okh (real projects, one of them broken on purpose: it is
 * refused with the reason) and the demo's designs with full manufacturing requirements, each
 * through POST /designs/import as the demo account. Content already in the commons is not
 * written again (the answer says so), so a second run changes nothing.
 */
export async function importDesigns(ctx: DemoContext): Promise<{ facts: DesignFact[]; designs: DesignInfo[] }> {
  const files = ['okh', join('demo', 'okh')].flatMap((dir) =>
    readdirSync(join(ctx.dataDir, dir))
      .filter((f) => MANIFEST_TYPES[extname(f).toLowerCase()])
      .sort()
      .map((f) => join(ctx.dataDir, dir, f)),
  );
  const facts: DesignFact[] = [];
  const designs: DesignInfo[] = [];
  for (const file of files) {
    const name = relative(ctx.dataDir, file);
    const answer = await ctx.client.call<OkhImportResult & { title?: string; detail?: string; status?: number }>('POST', '/designs/import', {
      token: ctx.admin.token,
      raw: readFileSync(file, 'utf8'),
      contentType: MANIFEST_TYPES[extname(file).toLowerCase()],
      accept: [200, 201, 400, 409, 415, 422],
    });
    if (answer.status >= 400) {
      facts.push({ file: name, outcome: 'refused', detail: `${answer.status} ${answer.body.title ?? ''}: ${answer.body.detail ?? ''}`.trim() });
      continue;
    }
    const r = answer.body;
    const version = (await ctx.client.get<DesignVersionView>(`/designs/${r.designId}/versions/${encodeURIComponent(r.version)}`)).body;
    const key = (DEMO_DESIGNS as readonly string[]).includes(r.slug) && name.startsWith(join('demo', 'okh')) ? (r.slug as DesignKey) : undefined;
    if (key) designs.push({ key, designVersionId: r.designVersionId, title: version.content.title, requirements: version.content.requirements });
    facts.push({
      file: name,
      outcome: r.created ? 'imported' : 'already present',
      slug: r.slug,
      version: r.version,
      title: version.content.title,
      contentHash: r.contentHash,
      designVersionId: r.designVersionId,
      key,
      attribution: version.attribution.map((c) => c.name),
    });
  }
  const missing = DEMO_DESIGNS.filter((k) => !facts.some((f) => f.key === k));
  if (missing.length) throw new Error(`the demo designs ${missing.join(', ')} did not import: ${facts.filter((f) => f.outcome === 'refused').map((f) => `${f.file}: ${f.detail}`).join('; ')}`);
  return { facts, designs };
}

/**
 * Step 2a: the 2,237 fab labs of fablabs.io through POST /fab-units/import (platform admins).
 * Labs already there (same name and url) are merged, not doubled.
 */
export async function importFabLabs(ctx: DemoContext): Promise<OkwImportSummary & { file: string }> {
  const body = readFileSync(join(ctx.dataDir, FABLABS_FILE), 'utf8');
  const answer = await ctx.client.post<OkwImportSummary>('/fab-units/import', undefined, { token: ctx.admin.token, raw: body, contentType: 'application/json' });
  return { ...answer.body, file: join('data', FABLABS_FILE) };
}

export const labKey = (name: string, url: string | undefined) => `${name.trim()}|${(url ?? '').trim()}`;

/** The imported fablabs.io labs that have coordinates, as the API lists them. */
export async function listFabLabs(ctx: DemoContext): Promise<LabRecord[]> {
  const records = JSON.parse(readFileSync(join(ctx.dataDir, FABLABS_FILE), 'utf8')) as { facility?: { name?: string; url?: string } }[];
  const keys = new Set(records.filter((r) => r.facility?.name).map((r) => labKey(r.facility!.name!, r.facility!.url)));
  const items = await listAll(ctx, '/fab-units?locatable=true&limit=200');
  return items
    .filter((u) => keys.has(labKey(u.name, u.url)) && u.location.lat !== undefined && u.location.lon !== undefined)
    .map((u) => ({ id: u.id, key: labKey(u.name, u.url), name: u.name, lat: u.location.lat!, lon: u.location.lon!, country: u.location.country, city: u.location.city }));
}

/** Every page of a fab unit listing. */
export async function listAll(ctx: DemoContext, path: string): Promise<FabUnitListItem[]> {
  const out: FabUnitListItem[] = [];
  let cursor: string | null = null;
  do {
    const page: FabUnitPage = (await ctx.client.get<FabUnitPage>(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body;
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/**
 * Step 2b: machines, stock and opening hours for the selected labs, as their operators would
 * declare them (the demo account is a platform admin, which operates any unit). A lab that
 * already declares machines (an earlier run) keeps them; its stock and hours are set again.
 */
export async function equipLabs(ctx: DemoContext, labs: readonly LabRecord[], regions: readonly CouncilRegion[]): Promise<{ selection: UnitSelection; fact: EquipFact }> {
  const selection = selectUnits(labs, regions, { seed: ctx.seed, total: ctx.units, avoid: candidateRegions(labs).slice(0, 2 * MAX_SCALE) });
  const work: { lab: LabRecord; equipment: Equipment; council?: boolean }[] = [];
  for (const { region, pool } of selection.regions) {
    // Stock enough that machine time, not material, is what a council runs short of (plan-requests.ts).
    const council = { timezone: region.timezone, stockFactor: COUNCIL_STOCK_FACTOR };
    pool.forEach((lab, i) =>
      work.push({
        lab,
        equipment: equipmentFor(lab, ctx.seed, { ...council, capabilities: poolRole(i).capabilities, hoursName: region.hoursName, openingHours: region.openingHours }),
        council: true,
      }),
    );
  }
  for (const lab of selection.others) work.push({ lab, equipment: equipmentFor(lab, ctx.seed) });

  const fact: EquipFact = {
    selected: work.length,
    pooled: selection.regions.reduce((n, r) => n + r.pool.length, 0),
    newlyEquipped: 0,
    alreadyEquipped: 0,
    machinesByProcess: {},
    hours: {},
  };
  const bar = ctx.progress('equipping fab labs', work.length);
  await mapLimit(work, 6, async ({ lab, equipment, council }) => {
    const token = ctx.admin.token;
    const view = (await ctx.client.get<FabUnitView>(`/fab-units/${lab.id}`)).body;
    if (view.machines.length === 0) fact.newlyEquipped++;
    else fact.alreadyEquipped++;
    const machines = council ? await reconcileMachines(ctx, view, equipment) : view.machines.length ? view.machines : await addMachines(ctx, lab.id, equipment.machines);
    for (const m of machines) if (m.status === 'available') fact.machinesByProcess[m.process] = (fact.machinesByProcess[m.process] ?? 0) + 1;
    const stock = new Map(equipment.stock.map((x) => [x.material, x]));
    // A council lab holds no priced material its role does not use: the round's limit of a
    // material is then the stock of the one lab that works it.
    if (council) for (const m of Object.keys(DEMO_RATES.material)) if (!stock.has(m) && view.materials.some((x) => x.material === m)) stock.set(m, { material: m, quantity: 0, unit: view.materials.find((x) => x.material === m)!.unit ?? 'kg' });
    for (const s of stock.values()) {
      const held = view.materials.find((m) => m.material === s.material)?.held ?? 0;
      try {
        await ctx.client.put(`/fab-units/${lab.id}/materials/${s.material}`, { quantity: Math.max(s.quantity, held), unit: s.unit }, { token });
      } catch (error) {
        // Stock an earlier run left in another unit of the same dimension is kept as it is.
        if (!(error instanceof ApiError && error.status === 409)) throw error;
      }
    }
    await ctx.client.put(`/fab-units/${lab.id}/opening-hours`, { timezone: equipment.timezone, weekly: equipment.openingHours }, { token });
    fact.hours[equipment.hoursName] = (fact.hours[equipment.hoursName] ?? 0) + 1;
    bar.increment();
  });
  bar.stop();
  return { selection, fact };
}

async function addMachines(ctx: DemoContext, unitId: string, machines: readonly MachineBody[]): Promise<MachineView[]> {
  const out: MachineView[] = [];
  for (const m of machines) out.push(...(await ctx.client.post<MachineView[]>(`/fab-units/${unitId}/machines`, m, { token: ctx.admin.token })).body);
  return out;
}

/**
 * A council lab has one available machine of each demo process of its role and none of the
 * others. On a fresh database that is what it gets; a lab an earlier run equipped otherwise
 * has the machines it should not offer put in maintenance (its operator's call), so the
 * council's budget is exactly its machines' time.
 */
async function reconcileMachines(ctx: DemoContext, view: FabUnitView, equipment: Equipment): Promise<MachineView[]> {
  if (view.machines.length === 0) return addMachines(ctx, view.id, equipment.machines);
  const out: MachineView[] = [];
  for (const process of DEMO_PROCESSES) {
    const wanted = equipment.machines.find((m) => m.process === process);
    const available = view.machines.filter((m) => m.process === process && m.status === 'available');
    const keep = wanted ? available.slice(0, 1) : [];
    for (const m of available.slice(keep.length)) {
      out.push((await ctx.client.call<MachineView>('PATCH', `/machines/${m.id}`, { token: ctx.admin.token, body: { status: 'maintenance' } })).body);
    }
    if (wanted && keep.length === 0) out.push(...(await addMachines(ctx, view.id, [wanted])));
    out.push(...keep);
  }
  out.push(...view.machines.filter((m) => !DEMO_PROCESSES.includes(m.process)));
  return out;
}
