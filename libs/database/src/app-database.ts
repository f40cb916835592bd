import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

type EntityClass = Function;
type MigrationClass = new () => MigrationInterface;

/** What an app declares about its own storage: its schema, entities and migrations. */
export interface AppDatabaseDefinition {
  schema: string;
  entities: EntityClass[];
  migrations: MigrationClass[];
}

export function dataSourceOptions(
  def: AppDatabaseDefinition,
  databaseUrl: string,
  poolSize: number,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    schema: def.schema,
    entities: def.entities,
    migrations: def.migrations,
    migrationsTableName: 'migrations',
    // Never: schema changes go through migrations only (see runMigrations).
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: poolSize, application_name: `cosmolocal-${def.schema}` },
  };
}

/**
 * Runs an app's pending migrations, one transaction each, under a PostgreSQL advisory lock:
 * several processes of one app (scaled-out workers) may start at the same moment, and
 * TypeORM's migrator has no lock of its own.
 */
export async function runMigrations(def: AppDatabaseDefinition, databaseUrl: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(def, databaseUrl, 2));
  await ds.initialize();
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`cosmolocal:migrate:${def.schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${def.schema}"`);
      const done = await ds.runMigrations({ transaction: 'each' });
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`cosmolocal:migrate:${def.schema}`]);
    }
  } finally {
    await runner.release();
    await ds.destroy();
  }
}

