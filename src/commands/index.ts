import type { Command } from './command.js';
import { grantAdminCommand } from './grant-admin.command.js';
import { migrateCommand } from './migrate.command.js';

/** Every command of `npm run cli`; a capability adds its own file and one line here. */
export const COMMANDS: Command[] = [migrateCommand, grantAdminCommand];
