import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { clampDesign } from './commons-fixtures.js';

jest.setTimeout(60_000);

type Summary = { id: string; slug: string; title: string; rank?: number; processes: string[]; verified: boolean };

const step = (process: string, material: string, unit = 'g') => ({
  process,
  material,
  machineMinutesPerUnit: 30,
  materialQuantityPerUnit: 10,
  materialUnit: unit,
});

describe('GET /designs: search', () => {
  let t: TestSystem;
  let token: string;
  const ids: Record<string, string> = {};

  const search = async (query: string) => {
    const answer = await t.http.get(`/designs?${query}`);
    if (answer.status !== 200) throw new Error(`search ${query}: ${answer.status} ${answer.text}`);
    return answer.body as { items: Summary[]; nextCursor: string | null };
  };
  const slugs = async (query: string) => (await search(query)).items.map((i) => i.slug);

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'commons'] });
    token = (await t.signUp('designer')).token;
    const designs: Array<[string, Record<string, unknown>]> = [
      ['fdm-zephyr', { title: 'Zephyr fan duct', function: 'Guides air over a hot end', keywords: ['cooling'], requirements: [step('3d-printing.fdm', 'pla')] }],
      ['sla-ring', { title: 'Resin ring', function: 'A zephyr of a ring, cast in resin', keywords: ['jewellery'], requirements: [step('3d-printing.sla', 'resin', 'ml')] }],
      ['any-3dp-knob', { title: 'Knob', function: 'Turns things', keywords: ['zephyr', 'knob'], requirements: [step('3d-printing', 'petg')] }],
      ['laser-box', { title: 'Laser cut box', function: 'Holds things', license: 'CERN OHL v1.2', requirements: [step('laser-cutting', 'plywood', 'm2')] }],
      ['cnc-plate', { title: 'Mounting plate', function: 'Holds a motor', license: 'MIT', requirements: [step('cnc-milling', 'aluminium 6061')] }],
      ['no-process', { title: 'Assembly guide', function: 'Explains how to assemble a zephyr', requirements: [] }],
    ];
    for (const [slug, overrides] of designs) {
      const answer = await t.http.post('/designs', clampDesign({ slug, bom: [], links: [], keywords: [], ...overrides }), { token });
      if (answer.status !== 201) throw new Error(answer.text);
      ids[slug] = answer.body.designId;
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ranks title above function above keywords', async () => {
    const page = await search('q=zephyr');
    const order = page.items.map((i) => i.slug);
    // Two designs say it in their function: equal rank, in id order.
    expect(order[0]).toBe('fdm-zephyr');
    expect(order.slice(1, 3).sort()).toEqual(['no-process', 'sla-ring']);
    expect(order[3]).toBe('any-3dp-knob');
    const ranks = page.items.map((i) => i.rank!);
    expect(ranks[0]).toBeGreaterThan(ranks[1]!);
    expect(ranks[1]).toBe(ranks[2]);
    expect(ranks[2]).toBeGreaterThan(ranks[3]!);
    expect(page.items[1]!.id > page.items[2]!.id).toBe(true);
    expect(page.nextCursor).toBeNull();
  });

  it('stems and combines words (websearch syntax)', async () => {
    expect(await slugs('q=holding')).toEqual(expect.arrayContaining(['laser-box', 'cnc-plate']));
    expect(await slugs('q=holds%20motor')).toEqual(['cnc-plate']);
    expect(await slugs('q=holds%20-motor')).toEqual(['laser-box']);
    expect(await slugs('q=nothing%20matches%20this')).toEqual([]);
  });

  it('filters by process including its sub-processes', async () => {
    expect((await slugs('process=3d-printing')).sort()).toEqual(['any-3dp-knob', 'fdm-zephyr', 'sla-ring']);
    // FDM is a kind of 3D printing, not the other way round; aliases are understood.
    expect(await slugs('process=3d-printing.fdm')).toEqual(['fdm-zephyr']);
    expect(await slugs('process=FDM')).toEqual(['fdm-zephyr']);
    expect(await slugs('process=3d-printing.sla')).toEqual(['sla-ring']);
    expect(await slugs('process=laser-cutting')).toEqual(['laser-box']);
    expect(await slugs('q=zephyr&process=3d-printing')).toEqual(['fdm-zephyr', 'sla-ring', 'any-3dp-knob']);
  });

  it('filters by material and license (names normalised)', async () => {
    expect(await slugs('material=PLA')).toEqual(['fdm-zephyr']);
    expect(await slugs('material=aluminium%206061')).toEqual(['cnc-plate']);
    expect(await slugs('license=CERN-OHL-1.2')).toEqual(['laser-box']);
    expect(await slugs('license=CERN%20OHL%20v1.2')).toEqual(['laser-box']);
    expect(await slugs('license=MIT&process=cnc-milling')).toEqual(['cnc-plate']);
  });

  it('filters verified designs: at least one successful build report', async () => {
    expect(await slugs('verified=true')).toEqual([]);
    const [version] = await t.sql<{ id: string }>(`SELECT latest_version_id AS id FROM commons.designs WHERE slug = 'laser-box'`);
    await t.sql(
      `INSERT INTO commons.build_reports (design_version_id, fab_unit_id, success, quantity, source, source_job_id)
       VALUES ($1, gen_random_uuid(), false, 1, 'production', 'search-1'), ($1, gen_random_uuid(), true, 3, 'production', 'search-2')`,
      [version!.id],
    );
    const page = await search('verified=true');
    expect(page.items.map((i) => i.slug)).toEqual(['laser-box']);
    expect(page.items[0]).toMatchObject({ verified: true, builds: { successful: 1, failed: 1, unitsBuilt: 3 } });
    expect((await slugs('verified=false')).length).toBe(6);
  });

  it('follows the latest version: a new version with another process moves the design between filters', async () => {
    const v2 = await t.http.post(
      '/designs/fdm-zephyr/versions',
      clampDesign({ title: 'Zephyr fan duct', function: 'Guides air', bom: [], links: [], keywords: [], version: '2.0.0', requirements: [step('3d-printing.sla', 'resin', 'ml')] }),
      { token },
    );
    expect(v2.status).toBe(201);
    expect(await slugs('process=3d-printing.fdm')).toEqual([]);
    expect((await slugs('process=3d-printing.sla')).sort()).toEqual(['fdm-zephyr', 'sla-ring']);
  });

  it.each([
    ['newest first', 'limit=2'],
    ['by relevance', 'q=zephyr%20OR%20holds%20OR%20knob&limit=2'],
    ['filtered', 'process=3d-printing&limit=1'],
  ])('pages %s with a cursor: every design once, in the order of one big page', async (_what, query) => {
    const all = (await search(query.replace(/limit=\d+/, 'limit=100'))).items.map((i) => i.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Summary[]; nextCursor: string | null } = await search(query + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toEqual(all);
    expect(pages).toBeGreaterThan(1);
  });

  it('keeps a cursor valid while designs are published (keyset, not offset)', async () => {
    const first = await search('limit=3');
    await t.http.post('/designs', clampDesign({ slug: 'late-arrival', title: 'Late arrival' }), { token });
    const rest = await search(`limit=100&cursor=${encodeURIComponent(first.nextCursor!)}`);
    const ids = [...first.items, ...rest.items].map((i) => i.slug);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain('late-arrival');
    expect(ids).toHaveLength(6);
  });

  it.each([
    ['process=telekinesis', 'process'],
    ['material=unobtainium', 'material'],
    ['license=%28%28', 'license'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['verified=maybe', 'verified'],
    ['colour=red', 'colour'],
    ['cursor=garbage', 'cursor'],
  ])('answers %s with 400 naming %s', async (query, field) => {
    const answer = await t.http.get(`/designs?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses a cursor made for other filters', async () => {
    const page = await search('limit=1');
    const answer = await t.http.get(`/designs?limit=1&process=3d-printing&cursor=${encodeURIComponent(page.nextCursor!)}`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].field).toBe('cursor');
  });
});
