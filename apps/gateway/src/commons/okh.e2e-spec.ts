import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { contentHash } from '#apps/commons/src/designs/content-hash.js';
import { parseOkhManifest } from '#apps/commons/src/okh/okh-import.js';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { clampDesign } from './commons-fixtures.js';

jest.setTimeout(60_000);

type Person = { token: string; accountId: string; email: string };

const data = (file: string) => readFileSync(new URL(`../../../../data/okh/${file}`, import.meta.url), 'utf8');

const MANIFESTS = [
  { file: 'LibreWater-Acraea__okh.toml', type: 'application/toml' as const, title: 'Acraea-Prototype', version: '2.0.0', slug: 'acraea-prototype' },
  { file: 'PlanktoScope-PlanktoScope__okh.toml', type: 'application/toml' as const, title: 'PlanktoScope', version: '2.5.0', slug: 'planktoscope' },
  { file: 'helpfulengineering-library__okh-ventmon-T0.4.yml', type: 'application/yaml' as const, title: 'VentMon v0.4T', version: '0.4.0', slug: 'ventmon-v0-4t' },
  { file: 'courk-openflexure-microscope__okh.yml', type: 'application/yaml' as const, title: 'OpenFlexure Microscope', version: '6.0.0', slug: 'openflexure-microscope' },
];

describe('Open Know-How in and out', () => {
  let t: TestSystem;
  let ada: Person;
  let bob: Person;
  const imported = new Map<string, { designId: string; designVersionId: string; version: string; contentHash: string; slug: string }>();

  const counts = async () =>
    (await t.sql<{ designs: number; versions: number }>(
      `SELECT (SELECT count(*)::int FROM commons.designs) AS designs, (SELECT count(*)::int FROM commons.design_versions) AS versions`,
    ))[0]!;
  const importAs = (who: Person | undefined, body: string, contentType: string) =>
    t.http.post('/designs/import', undefined, { raw: body, contentType, token: who?.token });

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'commons'] });
    [ada, bob] = [await t.signUp('ada'), await t.signUp('bob')];
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('POST /designs/import: the four real manifests', () => {
    it.each(MANIFESTS)('imports $file (201) with the warnings of its repairs', async (m) => {
      const body = data(m.file);
      const expected = parseOkhManifest(body, m.type);
      if ('error' in expected) throw new Error(expected.error);
      const answer = await importAs(ada, body, m.type);
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        slug: m.slug,
        version: m.version,
        contentHash: contentHash(expected.content),
        warnings: expected.warnings,
        created: true,
      });
      imported.set(m.file, answer.body);
      const version = await t.http.get(`/designs/${answer.body.designId}/versions/${m.version}`);
      expect(version.body.content.title).toBe(m.title);
      expect(version.body.contentHash).toBe(answer.body.contentHash);
      const design = await t.http.get(`/designs/${answer.body.designId}`);
      expect(design.body.maintainers).toEqual([ada.accountId]);
    });

    it('imports the clean ones cleanly, and names the repairs of the messy ones', () => {
      expect(importedWarnings('LibreWater-Acraea__okh.toml')).toEqual([]);
      expect(importedWarnings('courk-openflexure-microscope__okh.yml')).toEqual(
        expect.arrayContaining([
          'line 37: "user-handle: @OpenFlexure" is not valid YAML (a plain value cannot start with "@"); read as the string "@OpenFlexure"',
          'license.hardware: "CERN OHL v1.2" is not an SPDX id; read as CERN-OHL-1.2',
        ]),
      );
    });

    it('is idempotent: the same manifest again answers 200 with the existing design and writes nothing', async () => {
      const before = await counts();
      for (const m of MANIFESTS) {
        const again = await importAs(bob, data(m.file), m.type);
        expect(again.status).toBe(200);
        const first = imported.get(m.file)!;
        expect(again.body).toMatchObject({ designId: first.designId, designVersionId: first.designVersionId, contentHash: first.contentHash, created: false });
      }
      expect(await counts()).toEqual(before);
    });

    it('makes one design of concurrent imports of one manifest', async () => {
      const manifest = 'okhv = "OKH-LOSHv1.0"\nname = "Race lamp"\nversion = "1.0.0"\nlicense = "CERN-OHL-S-2.0"\nfunction = "Lights a race"\n';
      const answers = await Promise.all([ada, bob, ada, bob].map((who) => importAs(who, manifest, 'application/toml')));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.body.designVersionId)).size).toBe(1);
      expect(await t.sql(`SELECT 1 FROM commons.designs WHERE title = 'Race lamp'`)).toHaveLength(1);
    });
  });

  describe('GET /designs/{id}/versions/{version}/okh and back', () => {
    it.each(MANIFESTS)('exports $file as OKH-LOSH TOML; importing the export gives the same content hash', async (m) => {
      const first = imported.get(m.file)!;
      const exported = await t.http.get(`/designs/${first.designId}/versions/${first.version}/okh`);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toContain('application/toml');
      expect(exported.headers.get('content-disposition')).toContain(`${first.slug}-${first.version}.okh.toml`);
      expect(exported.text).toContain('okhv = "OKH-LOSHv1.0"');
      const reparsed = parseOkhManifest(exported.text, 'application/toml');
      if ('error' in reparsed) throw new Error(reparsed.error);
      expect(contentHash(reparsed.content)).toBe(first.contentHash);
      expect(reparsed.version).toBe(first.version);
      const back = await importAs(bob, exported.text, 'application/toml');
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ designId: first.designId, version: first.version, contentHash: first.contentHash, created: false });
    });

    it('round-trips a typed-in design with requirements, BOM, people and links', async () => {
      const created = await t.http.post('/designs', clampDesign({ extra: { note: 'kept', nested: { a: [1, 2] } } }), { token: ada.token });
      expect(created.status).toBe(201);
      const exported = await t.http.get(`/designs/${created.body.slug}/versions/latest/okh`);
      expect(exported.status).toBe(200);
      const back = await importAs(bob, exported.text, 'application/toml');
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ designId: created.body.designId, contentHash: created.body.contentHash, created: false });
    });

    it('answers 404 for an unknown design or version, with nothing to download', async () => {
      expect((await t.http.get('/designs/no-such-design/versions/1.0.0/okh')).status).toBe(404);
      expect((await t.http.get('/designs/acraea-prototype/versions/9.0.0/okh')).status).toBe(404);
    });
  });

  describe('POST /designs/import: what is refused', () => {
    it.each([
      ['text/plain', 'title: x'],
      ['application/xml', '<okh/>'],
      ['application/x-www-form-urlencoded', 'title=x'],
    ])('answers %s with 415 problem details', async (contentType, body) => {
      const before = await counts();
      const answer = await importAs(ada, body, contentType);
      expect(answer.status).toBe(415);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.detail).toContain('application/toml');
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['application/toml', 'name = "Broken\nlicense = "MIT"\n', /TOML: line 1/],
      ['application/yaml', 'title: [unclosed\nlicense: MIT\n', /YAML: line \d+/],
      ['application/yaml', 'description: no title here\nlicense: MIT\n', /not an OKH manifest/],
      ['application/toml', 'okhv = "OKH-LOSHv1.0"\nname = "No license"\n', /field "license": no license given/],
      ['application/yaml', '', /manifest is empty/],
      ['application/json', '[1, 2]', /must be a table/],
    ])('answers an unreadable %s manifest with 400 naming the line or field, writing nothing', async (contentType, body, detail) => {
      const before = await counts();
      const answer = await importAs(ada, body, contentType);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.detail).toMatch(detail);
      expect(answer.body.errors).toHaveLength(1);
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['application/toml', 'okhv = "OKH-LOSHv1.0"\nname = "Closed"\nlicense = "CC-BY-NC-4.0"\n', 'CC-BY-NC-4.0'],
      ['application/yaml', 'title: Closed\nlicense:\n  hardware: All rights reserved\n', 'All rights reserved'],
    ])('refuses a manifest whose license is not open with 422 naming it, writing nothing', async (contentType, body, license) => {
      const before = await counts();
      const answer = await importAs(ada, body, contentType);
      expect(answer.status).toBe(422);
      expect(answer.body.type).toBe('https://cosmolocal.dev/problems/license-not-open');
      expect(answer.body.detail).toContain(license);
      expect(answer.body.license).toBe(license);
      expect(await counts()).toEqual(before);
    });

    it('needs a signed-in person (401)', async () => {
      const answer = await importAs(undefined, data('LibreWater-Acraea__okh.toml'), 'application/toml');
      expect(answer.status).toBe(401);
    });
  });

  describe('POST /designs/import: JSON, new versions, other people\'s slugs', () => {
    it('imports a JSON manifest', async () => {
      const manifest = { title: 'JSON stool', description: 'A stool', license: { hardware: 'CERN-OHL-W-2.0' }, version: '1.0.0', keywords: ['stool'] };
      const answer = await t.http.post('/designs/import', manifest, { token: ada.token });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ slug: 'json-stool', version: '1.0.0', created: true });
    });

    it("imports a new version of a design its maintainer imported; someone else's gets a numbered slug", async () => {
      const v1 = 'okhv = "OKH-LOSHv1.0"\nname = "Garden bench"\nversion = "1.0.0"\nlicense = "CERN-OHL-S-2.0"\nfunction = "Seats three"\n';
      const v2 = v1.replace('1.0.0', '1.1.0').replace('Seats three', 'Seats four');
      const first = await importAs(ada, v1, 'application/toml');
      expect(first.status).toBe(201);
      const second = await importAs(ada, v2, 'application/toml');
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ designId: first.body.designId, slug: 'garden-bench', version: '1.1.0', created: true });
      expect((await t.http.get('/designs/garden-bench')).body.latestVersion).toBe('1.1.0');

      const clash = await importAs(ada, v2.replace('Seats four', 'Seats five'), 'application/toml');
      expect(clash.status).toBe(409);

      const others = await importAs(bob, v1.replace('Seats three', 'Seats two'), 'application/toml');
      expect(others.status).toBe(201);
      expect(others.body.slug).toBe('garden-bench-2');
      expect(others.body.designId).not.toBe(first.body.designId);
      expect(others.body.warnings).toContain('the slug garden-bench belongs to another design; published as garden-bench-2');
    });
  });

  function importedWarnings(file: string): string[] {
    return (imported.get(file) as unknown as { warnings: string[] }).warnings;
  }
});
