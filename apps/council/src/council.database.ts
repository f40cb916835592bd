import type { AppDatabaseDefinition } from '#libs/database/src/index.js';

export const councilDatabase: AppDatabaseDefinition = {
  schema: 'council',
  entities: [],
  migrations: [],
};
