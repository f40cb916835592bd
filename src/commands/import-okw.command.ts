import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import cliProgress from 'cli-progress';
import { DataSource } from 'typeorm';
import { fabricationDatabase } from '#apps/fabrication/src/fabrication.database.js';
import { TypeormFabUnitsRepository } from '#apps/fabrication/src/fab-units/typeorm-fab-units.repository.js';
import { ImportOkwUseCase } from '#apps/fabrication/src/fab-units/usecases/import-okw/import-okw.usecase.js';
import { loadConfig } from '#libs/config/src/index.js';
import { DomainError } from '#libs/contracts/src/index.js';
import { dataSourceOptions } from '#libs/database/src/index.js';
import { ensureLocalServices } from '../local-services.js';
import { prepareDatabase } from '../system.js';
import { type Command, UsageError } from './command.js';

const MEDIA_TYPES: Record<string, string> = {
  '.yml': 'application/yaml',
  '.yaml': 'application/yaml',
  '.json': 'application/json',
};

/**
 * `import okw <file>`: the same import as POST /fab-units/import, straight through the
 * fabrication use case (one transaction), so it works without a running server. Imported
 * units have no operator until a platform admin adds one. `import` with another kind
 * (`import okh …`) goes to the command that knows it.
 */
export const importOkwCommand: Command = {
  name: 'import okw',
  usage: 'import okw <file>',
  summary: 'import Open Know Where facilities (OKW YAML or JSON, or the fablabs.io JSON array) as fab units',
  async run(args) {
    const [file, ...rest] = args;
    if (!file) throw new UsageError('give an OKW file (.yml, .yaml or .json)');
    if (rest.length) throw new UsageError(`unexpected ${rest.join(' ')}`);
    const mediaType = MEDIA_TYPES[extname(file).toLowerCase()];
    if (!mediaType) throw new UsageError(`${file}: expected a .yml, .yaml or .json file`);
    try {
      if (!statSync(file).isFile()) throw new Error();
    } catch {
      throw new UsageError(`${file} is not a file`);
    }
    const body = readFileSync(file, 'utf8');

    const config = loadConfig();
    await ensureLocalServices(config, (line) => console.log(line));
    await prepareDatabase(config, ['fabrication']);
    const dataSource = new DataSource(dataSourceOptions(fabricationDatabase, config.databaseUrl, 2));
    await dataSource.initialize();
    const bar = new cliProgress.SingleBar(
      { format: 'fab units |{bar}| {value}/{total}', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    try {
      const importer = new ImportOkwUseCase(new TypeormFabUnitsRepository(dataSource));
      const result = await importer.execute(body, mediaType, {
        sourceName: basename(file, extname(file)).replace(/\.okw$/i, ''),
        onProgress: (done, total) => {
          if (!started) {
            bar.start(total, done);
            started = true;
          } else bar.update(done);
        },
      });
      if (started) bar.stop();
      console.log(
        `${file}: ${result.records.toLocaleString('en-US')} records → ${result.created} created, ${result.merged} merged, ` +
          `${result.updated} updated, ${result.unchanged} unchanged, ${result.skipped} skipped; ` +
          `${result.flaggedNotLocatable} flagged not locatable`,
      );
      for (const warning of result.warnings) console.log(`  warning: ${warning}`);
      return 0;
    } catch (error) {
      if (started) bar.stop();
      if (!(error instanceof DomainError)) throw error;
      console.error(`${file}: refused (${error.status} ${error.title}): ${error.detail}`);
      return 1;
    } finally {
      await dataSource.destroy();
    }
  },
};
