import type { Command } from './command.js';
import { demoCommand } from './demo.command.js';
import { grantAdminCommand } from './grant-admin.command.js';
import { importOkhCommand } from './import-okh.command.js';
import { importOkwCommand } from './import-okw.command.js';
import { migrateCommand } from './migrate.command.js';
import { tallyCommand } from './tally.command.js';

/** Every command of `npm run cli`; a capability adds its own file and one line here. */
export const COMMANDS: Command[] = [migrateCommand, grantAdminCommand, importOkwCommand, importOkhCommand, tallyCommand, demoCommand];
