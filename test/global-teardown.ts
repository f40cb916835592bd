import pg from 'pg';

/**
 * Each e2e file drops its own database; a run killed half-way cannot. Databases of test runs
 * still going have connections open, so only abandoned ones (no connection) are dropped.
 */
export default async function globalTeardown(): Promise<void> {
  const url = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database d
       WHERE datname LIKE 'cosmolocal\\_test\\_%'
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}"`).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
