import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { dropDatabase } from '#libs/database/src/index.js';
import { testConfig } from '#libs/testing/src/test-config.js';

/**
 * `import okw` through the built CLI (`npm test` builds dist/ first; alone:
 * `npx tsc -p tsconfig.build.json`), as an operator runs it on a server's database: here a
 * database of this file's own, which the CLI creates and migrates, dropped afterwards.
 */
jest.setTimeout(180_000);

const run = promisify(execFile);
const CLI = 'dist/src/cli.js';
const FABLABS = 'data/okw/fablabs-io-2237.json';
const SMALL = 'test/fixtures/okw/three-facilities.okw.yml';

interface Summary {
  records: number;
  created: number;
  merged: number;
  updated: number;
  unchanged: number;
  skipped: number;
  flagged: number;
}

describe('npm run cli -- import okw', () => {
  const config = testConfig();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATABASE_URL: config.databaseUrl, REDIS_URL: config.redisUrl, LOG_LEVEL: 'silent' };
  // Jest's --experimental-vm-modules is not the CLI's: its warning would be all the CLI wrote to stderr.
  delete env.NODE_OPTIONS;
  let sql: pg.Pool;
  const dir = mkdtempSync(join(tmpdir(), 'okw-'));

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run('node', [CLI, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  /** The summary line: `<file>: 2,237 records → 2237 created, 0 merged, … ; 201 flagged not locatable`. */
  function summary(stdout: string, file: string): Summary {
    const line = stdout.split('\n').find((l) => l.startsWith(`${file}: `));
    const m = line?.match(
      /: ([\d,]+) records → (\d+) created, (\d+) merged, (\d+) updated, (\d+) unchanged, (\d+) skipped; (\d+) flagged not locatable$/,
    );
    if (!m) throw new Error(`no summary line for ${file} in:\n${stdout}`);
    const [records, created, merged, updated, unchanged, skipped, flagged] = m.slice(1).map((n) => Number(n.replaceAll(',', '')));
    return { records: records!, created: created!, merged: merged!, updated: updated!, unchanged: unchanged!, skipped: skipped!, flagged: flagged! };
  }

  const state = async () =>
    (
      await sql.query<{ units: number; machines: number; stock: number; unlocatable: number; changed: string | null }>(
        `SELECT (SELECT count(*)::int FROM fabrication.fab_units) AS units,
                (SELECT count(*)::int FROM fabrication.fab_units WHERE NOT locatable) AS unlocatable,
                (SELECT count(*)::int FROM fabrication.machines) AS machines,
                (SELECT count(*)::int FROM fabrication.material_stock) AS stock,
                (SELECT max(updated_at)::text FROM fabrication.fab_units) AS changed`,
      )
    ).rows[0]!;

  beforeAll(() => {
    sql = new pg.Pool({ connectionString: config.databaseUrl, max: 2 });
    sql.on('error', () => undefined); // the FORCE drop may outrun end() (see test/support/test-system.ts)
  });
  afterAll(async () => {
    await sql?.end();
    await dropDatabase(config.databaseUrl);
  });

  it('is built', () => {
    expect(existsSync(CLI)).toBe(true);
  });

  it('imports the 2,237 fablabs.io records into a new database; the 201 without coordinates are kept, flagged not locatable', async () => {
    const out = await cli('import', 'okw', FABLABS);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(summary(out.stdout, FABLABS)).toEqual({ records: 2237, created: 2237, merged: 0, updated: 0, unchanged: 0, skipped: 0, flagged: 201 });
    expect(out.stdout).toContain('warning: no coordinates: kept, not locatable: 201 records');
    expect(await state()).toMatchObject({ units: 2237, unlocatable: 201 });
    // Imported units have no operator until a platform admin names one.
    expect((await sql.query(`SELECT 1 FROM fabrication.fab_unit_operators`)).rows).toHaveLength(0);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await state();
    const out = await cli('import', 'okw', FABLABS);
    expect(out.code).toBe(0);
    expect(summary(out.stdout, FABLABS)).toEqual({ records: 2237, created: 0, merged: 0, updated: 0, unchanged: 2237, skipped: 0, flagged: 201 });
    expect(await state()).toEqual(before);
  });

  it('imports OKW v1 YAML: a record repeated under another spelling of its name and url is merged, one without coordinates flagged', async () => {
    const before = await state();
    const out = await cli('import', 'okw', SMALL);
    expect(out.code).toBe(0);
    expect(summary(out.stdout, SMALL)).toEqual({ records: 3, created: 2, merged: 1, updated: 0, unchanged: 0, skipped: 0, flagged: 1 });
    expect(out.stdout).toContain('same name and url as an earlier record: merged');
    expect(await state()).toMatchObject({ units: before.units + 2, unlocatable: before.unlocatable + 1 });

    const [workshop] = (
      await sql.query<{ id: string; name: string; locatable: boolean; country: string; description: string; opening_hours: unknown }>(
        `SELECT id, name, locatable, country, description, opening_hours FROM fabrication.fab_units WHERE url = 'https://werkstatt-am-kanal.example.org'`,
      )
    ).rows;
    expect(workshop).toMatchObject({
      name: 'Werkstatt am Kanal',
      locatable: true,
      country: 'DE',
      description: 'A neighbourhood workshop with printers and a laser cutter',
    });
    expect(workshop!.opening_hours).toMatchObject({ mon: [{ open: '10:00', close: '18:00' }], fri: [{ open: '10:00', close: '18:00' }] });
    const machines = (
      await sql.query<{ process: string; make: string }>(`SELECT process, make FROM fabrication.machines WHERE fab_unit_id = $1 ORDER BY position`, [workshop!.id])
    ).rows;
    expect(machines).toEqual([
      { process: '3d-printing.fdm', make: 'Prusa' },
      { process: '3d-printing.fdm', make: 'Prusa' },
      { process: 'laser-cutting', make: 'Epilog' },
    ]);
    const repair = (await sql.query(`SELECT status, locatable FROM fabrication.fab_units WHERE name = 'Repair Café Altona'`)).rows;
    expect(repair).toEqual([{ status: 'Temporary Closure', locatable: false }]);

    const again = await cli('import', 'okw', SMALL);
    expect(again.code).toBe(0);
    expect(summary(again.stdout, SMALL)).toEqual({ records: 3, created: 0, merged: 1, updated: 0, unchanged: 2, skipped: 0, flagged: 1 });
  });

  it.each([
    ['invalid YAML', 'broken.yml', 'name: Lab\nlocation: [unclosed\n', /invalid YAML/],
    ['invalid JSON', 'broken.json', '[{"name": "Lab", ', /invalid JSON/],
    ['no facility in it', 'empty-list.json', '[]', /no facility records/],
    ['records that are not facilities', 'numbers.json', '[1, 2]', /no usable facility: not an object/],
  ])('refuses %s: exit 1, a message naming the problem, nothing written', async (_label, name, content, problem) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    const before = await state();
    const out = await cli('import', 'okw', file);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`${file}: refused (400`);
    expect(out.stderr).toMatch(problem);
    expect(await state()).toEqual(before);
  });

  it('answers bad usage with exit 2 and nothing written: no file, a missing file, another kind of file', async () => {
    const before = await state();
    const none = await cli('import', 'okw');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give an OKW file');
    const missing = await cli('import', 'okw', join(dir, 'nope.yml'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yml is not a file');
    const xml = join(dir, 'facility.xml');
    writeFileSync(xml, '<facility/>');
    const other = await cli('import', 'okw', xml);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('expected a .yml, .yaml or .json file');
    expect(await state()).toEqual(before);
  });
});
