import type { AppDatabaseDefinition } from '#libs/database/src/index.js';

export const productionDatabase: AppDatabaseDefinition = {
  schema: 'production',
  entities: [],
  migrations: [],
};
