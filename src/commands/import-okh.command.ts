import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { commonsDatabase } from '#apps/commons/src/commons.database.js';
import { TypeormDesignsRepository } from '#apps/commons/src/designs/typeorm-designs.repository.js';
import { ImportOkhUseCase } from '#apps/commons/src/designs/usecases/import-okh/import-okh.usecase.js';
import { loadConfig } from '#libs/config/src/index.js';
import type { OkhManifestMediaType } from '#libs/contracts/src/commons/dto.js';
import { DomainError } from '#libs/contracts/src/index.js';
import { dataSourceOptions } from '#libs/database/src/index.js';
import { ensureLocalServices } from '../local-services.js';
import { prepareDatabase } from '../system.js';
import { type Command, UsageError } from './command.js';

const MEDIA_TYPES: Record<string, OkhManifestMediaType> = {
  '.yml': 'application/yaml',
  '.yaml': 'application/yaml',
  '.toml': 'application/toml',
  '.json': 'application/json',
};

/**
 * `import okh <file|dir> [--as <email>]`: the same import as POST /designs/import, straight
 * through the commons use case, so it works without a running server. Without --as the
 * designs have no maintainer (a platform admin can add one); with it, that account maintains
 * them and a manifest naming one of its designs becomes a new version of it.
 */
export const importOkhCommand: Command = {
  name: 'import okh',
  usage: 'import okh <file|dir> [--as <email>]',
  summary: 'import Open Know-How manifests (.yml, .yaml, .toml, .json) into the design commons',
  async run(args) {
    const [target, ...rest] = args;
    if (!target) throw new UsageError('give a manifest file or a directory of manifests');
    let asEmail: string | undefined;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--as' && rest[i + 1]) asEmail = rest[++i];
      else throw new UsageError(`unknown option ${rest[i]}`);
    }
    const files = manifestFiles(target);
    if (files.length === 0) {
      console.error(`no manifests (${Object.keys(MEDIA_TYPES).join(', ')}) in ${target}`);
      return 1;
    }

    const config = loadConfig();
    await ensureLocalServices(config, (line) => console.log(line));
    await prepareDatabase(config, ['gateway', 'commons']);
    const accountId = asEmail ? await accountIdOf(config.databaseUrl, asEmail) : null;
    if (asEmail && !accountId) {
      console.error(`no account with email ${asEmail}`);
      return 1;
    }

    const dataSource = new DataSource(dataSourceOptions(commonsDatabase, config.databaseUrl, 2));
    await dataSource.initialize();
    const importer = new ImportOkhUseCase(new TypeormDesignsRepository(dataSource));
    const tally = { created: 0, present: 0, refused: 0 };
    try {
      for (const file of files) {
        const local = relative(process.cwd(), file);
        const name = local && !local.startsWith('..') ? local : file;
        try {
          const result = await importer.execute({ accountId }, MEDIA_TYPES[extname(file).toLowerCase()]!, readFileSync(file, 'utf8'));
          tally[result.created ? 'created' : 'present']++;
          console.log(
            `${name}: ${result.created ? 'imported' : 'already in the commons'} as ${result.slug} ${result.version} ` +
              `(design ${result.designId}, content ${result.contentHash.slice(0, 12)}…)`,
          );
          for (const warning of result.warnings) console.log(`  warning: ${warning}`);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          tally.refused++;
          console.log(`${name}: refused (${error.status} ${error.title}): ${error.detail}`);
        }
      }
    } finally {
      await dataSource.destroy();
    }
    console.log(`${tally.created} imported, ${tally.present} already present, ${tally.refused} refused`);
    return tally.refused > 0 ? 1 : 0;
  },
};

function manifestFiles(target: string): string[] {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    throw new UsageError(`${target} does not exist`);
  }
  if (stat.isFile()) {
    if (!MEDIA_TYPES[extname(target).toLowerCase()]) throw new UsageError(`${target}: expected a .yml, .yaml, .toml or .json manifest`);
    return [target];
  }
  return readdirSync(target, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(target, entry))
    .filter((path) => MEDIA_TYPES[extname(path).toLowerCase()] && statSync(path).isFile())
    .sort();
}

async function accountIdOf(databaseUrl: string, email: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ id: string }>('SELECT id FROM gateway.accounts WHERE email = $1', [email.trim().toLowerCase()]);
    return result.rows[0]?.id ?? null;
  } finally {
    await client.end();
  }
}
