import type { AppDatabaseDefinition } from '#libs/database/src/index.js';

export const commonsDatabase: AppDatabaseDefinition = {
  schema: 'commons',
  entities: [],
  migrations: [],
};
