import type { AppDatabaseDefinition } from '#libs/database/src/index.js';

export const fabricationDatabase: AppDatabaseDefinition = {
  schema: 'fabrication',
  entities: [],
  migrations: [],
};
