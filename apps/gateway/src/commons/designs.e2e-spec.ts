import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { COMMONS_PATTERNS, type DesignVersionForManufacturing } from '#libs/contracts/src/commons/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { clampDesign } from './commons-fixtures.js';

// The e2e project's testTimeout is not applied per project by Jest 30; boots and races need more than 5 s on a busy machine.
jest.setTimeout(60_000);

type Person = { token: string; accountId: string; email: string };

describe('design commons: publish, version, fork, lineage', () => {
  let t: TestSystem;
  let ada: Person;
  let bob: Person;
  let cy: Person;

  const counts = async () => {
    const [row] = await t.sql<{ designs: number; versions: number; maintainers: number }>(
      `SELECT (SELECT count(*)::int FROM commons.designs) AS designs,
              (SELECT count(*)::int FROM commons.design_versions) AS versions,
              (SELECT count(*)::int FROM commons.design_maintainers) AS maintainers`,
    );
    return row!;
  };
  const publish = async (who: Person, overrides: Record<string, unknown> = {}) => {
    const answer = await t.http.post('/designs', clampDesign(overrides), { token: who.token });
    if (answer.status !== 201) throw new Error(`publish failed: ${answer.status} ${answer.text}`);
    return answer.body as { designId: string; slug: string; designVersionId: string; version: string; contentHash: string };
  };

  beforeAll(async () => {
    // Only the services this capability needs, so other capabilities' work in progress cannot break these tests.
    t = await startTestSystem({ services: ['gateway', 'commons'] });
    [ada, bob, cy] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('cy')];
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('POST /designs', () => {
    it('publishes with normalised content; the publisher is the first maintainer', async () => {
      const answer = await t.http.post('/designs', clampDesign(), { token: ada.token });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        slug: 'tube-clamp-22-mm',
        version: '1.0.0',
        publishedBy: ada.accountId,
        forkedFrom: null,
        verified: false,
        builds: { successful: 0, failed: 0, unitsBuilt: 0 },
      });
      expect(answer.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(answer.body.content.requirements).toEqual([
        {
          process: '3d-printing.fdm',
          material: 'petg',
          envelopeMm: { x: 60, y: 40, z: 30 },
          machineMinutesPerUnit: 95,
          materialQuantityPerUnit: 42.5,
          materialUnit: 'g',
        },
      ]);
      expect(answer.body.attribution).toEqual([{ name: 'Ada Lovelace', email: 'ada@example.org' }, { name: 'Charles Babbage' }]);

      const design = await t.http.get(`/designs/${answer.body.designId}`);
      expect(design.status).toBe(200);
      expect(design.body).toMatchObject({
        id: answer.body.designId,
        slug: 'tube-clamp-22-mm',
        latestVersion: '1.0.0',
        latestVersionId: answer.body.designVersionId,
        processes: ['3d-printing.fdm'],
        materials: ['petg'],
        maintainers: [ada.accountId],
        forkedFrom: null,
      });
      expect(design.body.versions).toHaveLength(1);
      const bySlug = await t.http.get('/designs/tube-clamp-22-mm');
      expect(bySlug.body.id).toBe(answer.body.designId);
    });

    it('numbers a derived slug that is taken, and refuses an asked-for slug that is taken (409)', async () => {
      const second = await publish(bob, { function: 'Another clamp' });
      expect(second.slug).toBe('tube-clamp-22-mm-2');
      const before = await counts();
      const taken = await t.http.post('/designs', clampDesign({ slug: 'tube-clamp-22-mm', function: 'Third' }), { token: bob.token });
      expect(taken.status).toBe(409);
      expect(taken.headers.get('content-type')).toContain('application/problem+json');
      expect(taken.body.detail).toContain('tube-clamp-22-mm');
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['an unknown process', { requirements: [{ ...clampReq(), process: 'telekinesis' }] }, 'requirements.0.process'],
      ['an unknown material', { requirements: [{ ...clampReq(), material: 'unobtainium' }] }, 'requirements.0.material'],
      ['a missing title', { title: undefined }, 'title'],
      ['an unknown field', { colour: 'red' }, 'colour'],
      ['a version that is not semver', { version: 'v1' }, 'version'],
      ['a bad slug', { slug: 'Not A Slug' }, 'slug'],
      ['a negative quantity', { requirements: [{ ...clampReq(), materialQuantityPerUnit: -1 }] }, 'requirements.0.materialQuantityPerUnit'],
    ])('answers %s with 400 naming the field, and writes nothing', async (_what, overrides, field) => {
      const before = await counts();
      const answer = await t.http.post('/designs', clampDesign(overrides), { token: ada.token });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it.each(['CC-BY-NC-4.0', 'CC-BY-ND-4.0', 'all rights reserved', 'My Own License 1.0'])(
      'refuses the license %p with 422 naming it, and writes nothing',
      async (license) => {
        const before = await counts();
        const answer = await t.http.post('/designs', clampDesign({ license }), { token: ada.token });
        expect(answer.status).toBe(422);
        expect(answer.body).toMatchObject({ type: 'https://cosmolocal.dev/problems/license-not-open', license });
        expect(answer.body.detail).toContain(license);
        expect(await counts()).toEqual(before);
      },
    );

    it('normalises a known license name to SPDX', async () => {
      const d = await publish(ada, { title: 'Hinge', license: 'CERN OHL v1.2' });
      const v = await t.http.get(`/designs/${d.designId}/versions/1.0.0`);
      expect(v.body.content.license).toBe('CERN-OHL-1.2');
    });

    it('needs a signed-in person (401 anonymous)', async () => {
      const before = await counts();
      const answer = await t.http.post('/designs', clampDesign({ title: 'Anonymous' }));
      expect(answer.status).toBe(401);
      expect(await counts()).toEqual(before);
    });

    it('makes one design of concurrent publications asking for the same slug; the others 409', async () => {
      const answers = await Promise.all(
        [ada, bob, cy, ada, bob].map((who, i) => t.http.post('/designs', clampDesign({ slug: 'race-clamp', function: `racer ${i}` }), { token: who.token })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
      expect(await t.sql(`SELECT 1 FROM commons.designs WHERE slug = 'race-clamp'`)).toHaveLength(1);
    });
  });

  describe('GET /designs/{id}, /versions/{version}', () => {
    it('answers 404 for an unknown design or version, 400 for a version that is not semver', async () => {
      expect((await t.http.get('/designs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await t.http.get('/designs/no-such-design')).status).toBe(404);
      expect((await t.http.get('/designs/tube-clamp-22-mm/versions/9.9.9')).status).toBe(404);
      const bad = await t.http.get('/designs/tube-clamp-22-mm/versions/one');
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('version');
    });

    it('reads `latest` as the highest semver', async () => {
      const latest = await t.http.get('/designs/tube-clamp-22-mm/versions/latest');
      expect(latest.status).toBe(200);
      expect(latest.body.version).toBe('1.0.0');
    });
  });

  describe('POST /designs/{id}/versions', () => {
    let design: { designId: string; slug: string };
    beforeAll(async () => {
      design = await publish(ada, { title: 'Versioned bracket' });
    });

    it('lets a maintainer add versions; the head follows the highest semver', async () => {
      const v2 = await t.http.post(`/designs/${design.designId}/versions`, clampDesign({ title: 'Versioned bracket', version: '2.0.0', function: 'Stronger' }), { token: ada.token });
      expect(v2.status).toBe(201);
      expect(v2.body.version).toBe('2.0.0');
      // A patch of the old line does not become the head.
      const patch = await t.http.post(`/designs/${design.slug}/versions`, clampDesign({ title: 'Versioned bracket', version: '1.0.1', function: 'Patched' }), { token: ada.token });
      expect(patch.status).toBe(201);
      const head = await t.http.get(`/designs/${design.designId}`);
      expect(head.body).toMatchObject({ latestVersion: '2.0.0', function: 'Stronger' });
      expect(head.body.versions.map((v: { version: string }) => v.version)).toEqual(['2.0.0', '1.0.1', '1.0.0']);
    });

    it('refuses others with 403 and an unknown design with 404, writing nothing', async () => {
      const before = await counts();
      const other = await t.http.post(`/designs/${design.designId}/versions`, clampDesign({ version: '3.0.0' }), { token: bob.token });
      expect(other.status).toBe(403);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
      const anonymous = await t.http.post(`/designs/${design.designId}/versions`, clampDesign({ version: '3.0.0' }));
      expect(anonymous.status).toBe(401);
      const unknown = await t.http.post('/designs/00000000-0000-4000-8000-000000000000/versions', clampDesign({ version: '3.0.0' }), { token: ada.token });
      expect(unknown.status).toBe(404);
      expect(await counts()).toEqual(before);
    });

    it('answers 409 for a published semver and for content identical to a published version', async () => {
      const before = await counts();
      const again = await t.http.post(`/designs/${design.designId}/versions`, clampDesign({ title: 'Versioned bracket', version: '2.0.0', function: 'Different' }), { token: ada.token });
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain('2.0.0');
      const same = await t.http.post(`/designs/${design.designId}/versions`, clampDesign({ title: 'Versioned bracket', version: '2.1.0', function: 'Stronger' }), { token: ada.token });
      expect(same.status).toBe(409);
      expect(same.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(await counts()).toEqual(before);
    });

    it('of two or more concurrent publications of one semver, exactly one wins; the others answer 409', async () => {
      const answers = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((i) =>
          t.http.post(`/designs/${design.designId}/versions`, clampDesign({ title: 'Versioned bracket', version: '4.0.0', function: `Racer ${i}` }), { token: ada.token }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      const rows = await t.sql(`SELECT 1 FROM commons.design_versions WHERE design_id = $1 AND version = '4.0.0'`, [design.designId]);
      expect(rows).toHaveLength(1);
      const winner = answers.find((a) => a.status === 201)!;
      expect((await t.http.get(`/designs/${design.designId}`)).body.latestVersionId).toBe(winner.body.designVersionId);
    });
  });

  describe('POST /designs/{id}/maintainers', () => {
    it('lets a maintainer add one by email; the new maintainer may then publish versions', async () => {
      const d = await publish(ada, { title: 'Shared shelf' });
      const denied = await t.http.post(`/designs/${d.designId}/versions`, clampDesign({ title: 'Shared shelf', version: '1.1.0' }), { token: cy.token });
      expect(denied.status).toBe(403);
      const added = await t.http.post(`/designs/${d.designId}/maintainers`, { email: cy.email.toUpperCase() }, { token: ada.token });
      expect(added.status).toBe(201);
      expect(added.body.maintainers).toEqual([ada.accountId, cy.accountId]);
      const allowed = await t.http.post(`/designs/${d.designId}/versions`, clampDesign({ title: 'Shared shelf', version: '1.1.0', keywords: ['shelf'] }), { token: cy.token });
      expect(allowed.status).toBe(201);
      // Adding twice changes nothing.
      const twice = await t.http.post(`/designs/${d.designId}/maintainers`, { accountId: cy.accountId }, { token: cy.token });
      expect(twice.status).toBe(201);
      expect(twice.body.maintainers).toEqual([ada.accountId, cy.accountId]);
    });

    it('refuses non-maintainers (403), unknown accounts (422) and ambiguous bodies (400), writing nothing', async () => {
      const d = await publish(ada, { title: 'Private drawer' });
      const before = await counts();
      expect((await t.http.post(`/designs/${d.designId}/maintainers`, { accountId: bob.accountId }, { token: bob.token })).status).toBe(403);
      const unknown = await t.http.post(`/designs/${d.designId}/maintainers`, { email: 'nobody@example.org' }, { token: ada.token });
      expect(unknown.status).toBe(422);
      expect((await t.http.post(`/designs/${d.designId}/maintainers`, {}, { token: ada.token })).status).toBe(400);
      expect((await t.http.post(`/designs/${d.designId}/maintainers`, { accountId: bob.accountId, email: bob.email }, { token: ada.token })).status).toBe(400);
      expect(await counts()).toEqual(before);
    });
  });

  describe('forks and lineage', () => {
    let root: { designId: string; designVersionId: string; slug: string };
    let child: { designId: string; designVersionId: string; slug: string };
    let grandchild: { designId: string; designVersionId: string; slug: string };

    it('forks the latest version into a new design of the forker, recording the parent', async () => {
      root = await publish(ada, { title: 'Lamp base', licensors: [{ name: 'Ada Lovelace' }], contributors: [] });
      const answer = await t.http.post(`/designs/${root.designId}/forks`, { title: 'Lamp base XL', contributors: [{ name: 'Bob Builder' }] }, { token: bob.token });
      expect(answer.status).toBe(201);
      child = answer.body;
      expect(answer.body).toMatchObject({
        slug: 'lamp-base-xl',
        version: '1.0.0',
        publishedBy: bob.accountId,
        forkedFrom: { designId: root.designId, designVersionId: root.designVersionId, version: '1.0.0', slug: root.slug },
      });
      // A copy of the parent, with what the body names replaced.
      expect(answer.body.content).toMatchObject({ license: 'CERN-OHL-S-2.0', licensors: [{ name: 'Ada Lovelace' }], contributors: [{ name: 'Bob Builder' }] });
      const rows = await t.sql(`SELECT forked_from_version_id FROM commons.design_versions WHERE id = $1`, [child.designVersionId]);
      expect(rows).toEqual([{ forked_from_version_id: root.designVersionId }]);
      const design = await t.http.get(`/designs/${child.designId}`);
      expect(design.body.maintainers).toEqual([bob.accountId]);
      expect(design.body.forkedFrom.designVersionId).toBe(root.designVersionId);
    });

    it('forks a named version; a fork of a fork keeps the lineage', async () => {
      await t.http.post(`/designs/${child.designId}/versions`, clampDesign({ title: 'Lamp base XL', version: '1.1.0', contributors: [{ name: 'Bob Builder' }] }), { token: bob.token });
      const answer = await t.http.post(
        `/designs/${child.slug}/forks`,
        { version: '1.0.0', slug: 'lamp-base-mini', initialVersion: '0.1.0', contributors: [{ name: 'Cy Maker' }] },
        { token: cy.token },
      );
      expect(answer.status).toBe(201);
      grandchild = answer.body;
      expect(answer.body).toMatchObject({ slug: 'lamp-base-mini', version: '0.1.0', forkedFrom: { designVersionId: child.designVersionId } });
      // Attribution: this version's people first, then up the lineage, each once.
      expect(answer.body.attribution).toEqual([{ name: 'Ada Lovelace' }, { name: 'Cy Maker' }, { name: 'Bob Builder' }]);
    });

    it('answers the lineage: ancestors nearest first, descendants breadth first', async () => {
      const mid = await t.http.get(`/designs/${child.designId}/lineage`);
      expect(mid.status).toBe(200);
      expect(mid.body.ancestors).toEqual([
        { designId: root.designId, slug: root.slug, designVersionId: root.designVersionId, version: '1.0.0', title: 'Lamp base', license: 'CERN-OHL-S-2.0', depth: 1 },
      ]);
      expect(mid.body.descendants).toEqual([
        expect.objectContaining({ designId: grandchild.designId, designVersionId: grandchild.designVersionId, depth: 1, forkOfVersionId: child.designVersionId }),
      ]);
      const top = await t.http.get(`/designs/${root.slug}/lineage`);
      expect(top.body.ancestors).toEqual([]);
      expect(top.body.descendants.map((n: { designId: string; depth: number }) => [n.designId, n.depth])).toEqual([
        [child.designId, 1],
        [grandchild.designId, 2],
      ]);
      const bottom = await t.http.get(`/designs/${grandchild.designId}/lineage`);
      expect(bottom.body.ancestors.map((n: { designId: string }) => n.designId)).toEqual([child.designId, root.designId]);
      expect(bottom.body.descendants).toEqual([]);
      expect((await t.http.get('/designs/no-such-design/lineage')).status).toBe(404);
    });

    it('answers fabrication and production over the transport with requirements and the attribution chain', async () => {
      const client = t.system.gateway!.get<ServiceClient>(serviceClientToken('commons'), { strict: false });
      const answer = await client.send<DesignVersionForManufacturing>(COMMONS_PATTERNS.versionForManufacturing, null, {
        designVersionId: grandchild.designVersionId,
      });
      expect(answer).toMatchObject({
        designVersionId: grandchild.designVersionId,
        designId: grandchild.designId,
        slug: 'lamp-base-mini',
        version: '0.1.0',
        license: 'CERN-OHL-S-2.0',
        requirements: [expect.objectContaining({ process: '3d-printing.fdm', material: 'petg' })],
        attribution: [{ name: 'Ada Lovelace' }, { name: 'Cy Maker' }, { name: 'Bob Builder' }],
      });
      await expect(
        client.send(COMMONS_PATTERNS.versionForManufacturing, null, { designVersionId: '00000000-0000-4000-8000-000000000000' }),
      ).rejects.toMatchObject({ status: 404 });
      await expect(client.send(COMMONS_PATTERNS.versionForManufacturing, null, { designVersionId: 'nope' })).rejects.toMatchObject({ status: 400 });
    });

    it('refuses a fork of an unknown design or version (404) and an anonymous fork (401)', async () => {
      const before = await counts();
      expect((await t.http.post('/designs/no-such-design/forks', {}, { token: bob.token })).status).toBe(404);
      expect((await t.http.post(`/designs/${root.designId}/forks`, { version: '7.0.0' }, { token: bob.token })).status).toBe(404);
      expect((await t.http.post(`/designs/${root.designId}/forks`, {})).status).toBe(401);
      expect(await counts()).toEqual(before);
    });

    it('validates a fork body with the same rules as a new design, every field optional (400, nothing written)', async () => {
      const before = await counts();
      for (const body of [
        { title: 5 },
        { title: '' },
        { requirements: [{ process: 'laser-cutting' }] },
        { bom: 'screws' },
        { contributors: Array.from({ length: 501 }, () => ({ name: 'x' })) },
        { slug: 'Not A Slug' },
        { colour: 'red' },
      ]) {
        const answer = await t.http.post(`/designs/${root.designId}/forks`, body, { token: bob.token });
        expect({ body, status: answer.status, type: answer.headers.get('content-type') }).toEqual({
          body,
          status: 400,
          type: expect.stringContaining('application/problem+json'),
        });
      }
      expect(await counts()).toEqual(before);
    });

    // The share-alike rules of the issue, each way, against the real database.
    it.each([
      ['CERN-OHL-S-2.0', 'CERN-OHL-S-2.0', true],
      ['CERN-OHL-S-2.0', 'CERN-OHL-W-2.0', false],
      ['CERN-OHL-S-2.0', 'MIT', false],
      ['CERN-OHL-W-2.0', 'CERN-OHL-W-2.0', true],
      ['CERN-OHL-W-2.0', 'CERN-OHL-S-2.0', true],
      ['CERN-OHL-W-2.0', 'CERN-OHL-P-2.0', false],
      ['CC-BY-SA-4.0', 'CC-BY-SA-4.0', true],
      ['CC-BY-SA-4.0', 'GPL-3.0-only', true],
      ['CC-BY-SA-4.0', 'CC-BY-4.0', false],
      ['GPL-3.0-only', 'GPL-3.0-only', true],
      ['GPL-3.0-only', 'MIT', false],
      ['TAPR-OHL-1.0', 'TAPR-OHL-1.0', true],
      ['TAPR-OHL-1.0', 'CERN-OHL-S-2.0', false],
      ['CERN-OHL-P-2.0', 'MIT', true],
      ['CC-BY-4.0', 'CERN-OHL-S-2.0', true],
      ['CC0-1.0', 'CC-BY-SA-4.0', true],
      ['MIT', 'CC-BY-NC-4.0', false],
    ])('a fork of a %s design may carry %s: %p', async (parentLicense, childLicense, allowed) => {
      const parent = await publish(ada, { title: `Parent ${parentLicense} ${childLicense}`, license: parentLicense });
      const before = await counts();
      const fork = await t.http.post(`/designs/${parent.designId}/forks`, { license: childLicense }, { token: bob.token });
      if (allowed) {
        expect(fork.status).toBe(201);
        expect(fork.body.content.license).toBe(childLicense);
        return;
      }
      expect(fork.status).toBe(422);
      expect(fork.headers.get('content-type')).toContain('application/problem+json');
      if (childLicense === 'CC-BY-NC-4.0') {
        expect(fork.body.type).toBe('https://cosmolocal.dev/problems/license-not-open');
      } else {
        expect(fork.body).toMatchObject({ type: 'https://cosmolocal.dev/problems/fork-license-not-allowed', parentLicense, license: childLicense });
        expect(fork.body.rule).toContain(`${parentLicense} is`);
        expect(fork.body.detail).toContain(fork.body.rule);
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe('immutability', () => {
    it('the database refuses UPDATE, DELETE and TRUNCATE of a published version', async () => {
      const d = await publish(ada, { title: 'Immutable widget' });
      await expect(t.sql(`UPDATE commons.design_versions SET content = '{}'::jsonb WHERE id = $1`, [d.designVersionId])).rejects.toThrow(
        /UPDATE on commons.design_versions refused: published records never change/,
      );
      await expect(t.sql(`UPDATE commons.design_versions SET version = '9.9.9' WHERE id = $1`, [d.designVersionId])).rejects.toThrow(/refused/);
      await expect(t.sql(`DELETE FROM commons.design_versions WHERE id = $1`, [d.designVersionId])).rejects.toThrow(
        /DELETE on commons.design_versions refused/,
      );
      await expect(t.sql(`TRUNCATE commons.design_versions CASCADE`)).rejects.toThrow(/TRUNCATE on commons.design_versions refused/);
      expect(await t.sql(`SELECT content_hash FROM commons.design_versions WHERE id = $1`, [d.designVersionId])).toEqual([{ content_hash: d.contentHash }]);
    });

    it('no route alters a published version: new versions, forks and maintainers leave it as it was', async () => {
      const d = await publish(ada, { title: 'Frozen frame' });
      const snapshot = () => t.sql(`SELECT v.* FROM commons.design_versions v WHERE v.id = $1`, [d.designVersionId]);
      const before = await snapshot();
      await t.http.post(`/designs/${d.designId}/versions`, clampDesign({ title: 'Frozen frame', version: '1.0.0', function: 'changed' }), { token: ada.token });
      await t.http.post(`/designs/${d.designId}/versions`, clampDesign({ title: 'Frozen frame', version: '1.1.0', function: 'changed' }), { token: ada.token });
      await t.http.post(`/designs/${d.designId}/forks`, { version: '1.0.0', title: 'Thawed frame' }, { token: bob.token });
      await t.http.post(`/designs/${d.designId}/maintainers`, { accountId: bob.accountId }, { token: ada.token });
      expect(await snapshot()).toEqual(before);
      const v = await t.http.get(`/designs/${d.designId}/versions/1.0.0`);
      expect(v.body.contentHash).toBe(d.contentHash);
      expect(v.body.content.function).toBe('Clamps a 22 mm tube to a 2040 aluminium profile');
    });
  });

  it('documents the routes and their answers in OpenAPI', async () => {
    const spec = await t.http.get('/docs-json');
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/designs',
        '/designs/{id}',
        '/designs/{id}/versions',
        '/designs/{id}/versions/{version}',
        '/designs/{id}/forks',
        '/designs/{id}/lineage',
        '/designs/{id}/maintainers',
        '/designs/import',
        '/designs/{id}/versions/{version}/okh',
        '/designs/{id}/versions/{version}/build-reports',
        '/designs/{id}/versions/{version}/endorsements',
      ]),
    );
    expect(spec.body.components.schemas).toHaveProperty('DesignSearchPageDto');
    expect(spec.body.components.schemas.DesignSearchPageDto.properties).toHaveProperty('nextCursor');
    const search = spec.body.paths['/designs'].get;
    expect(search.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'process', 'material', 'license', 'verified', 'cursor', 'limit']),
    );
  });
});

function clampReq() {
  return (clampDesign().requirements as Array<Record<string, unknown>>)[0]!;
}
