import type { AppDatabaseDefinition } from '#libs/database/src/index.js';
import { AccountEntity } from './accounts/account.entity.js';
import { ApiKeyEntity } from './api-keys/api-key.entity.js';
import { Accounts1764000000000 } from './migrations/1764000000000-accounts.js';
import { ApiKeys1764000000001 } from './migrations/1764000000001-api-keys.js';

export const gatewayDatabase: AppDatabaseDefinition = {
  schema: 'gateway',
  entities: [AccountEntity, ApiKeyEntity],
  migrations: [Accounts1764000000000, ApiKeys1764000000001],
};
