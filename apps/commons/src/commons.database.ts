import type { AppDatabaseDefinition } from '#libs/database/src/index.js';
import { BuildReportEntity } from './designs/build-report.entity.js';
import { DesignMaintainerEntity } from './designs/design-maintainer.entity.js';
import { DesignVersionEntity } from './designs/design-version.entity.js';
import { DesignEntity } from './designs/design.entity.js';
import { EndorsementEntity } from './designs/endorsement.entity.js';
import { Designs1764100000000 } from './migrations/1764100000000-designs.js';

export const commonsDatabase: AppDatabaseDefinition = {
  schema: 'commons',
  entities: [DesignEntity, DesignVersionEntity, DesignMaintainerEntity, BuildReportEntity, EndorsementEntity],
  migrations: [Designs1764100000000],
};
