import { loadConfig } from '#libs/config/src/index.js';
import { ensureLocalServices } from '../local-services.js';
import { parseServiceList, prepareDatabase } from '../system.js';
import type { Command } from './command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  usage: 'migrate [service ...]',
  summary: 'create the database if needed and run every pending migration',
  async run(args) {
    const config = loadConfig();
    await ensureLocalServices(config, (line) => console.log(line));
    const applied = await prepareDatabase(config, parseServiceList(args));
    for (const [service, names] of Object.entries(applied)) {
      console.log(`${service}: ${names.length ? names.join(', ') : 'up to date'}`);
    }
    return 0;
  },
};
