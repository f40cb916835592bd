import type { AppDatabaseDefinition } from '#libs/database/src/index.js';
import { AccountEntity } from './accounts/account.entity.js';
import { Accounts1764000000000 } from './migrations/1764000000000-accounts.js';

export const gatewayDatabase: AppDatabaseDefinition = {
  schema: 'gateway',
  entities: [AccountEntity],
  migrations: [Accounts1764000000000],
};
