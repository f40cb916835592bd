import type { AppDatabaseDefinition } from '#libs/database/src/index.js';
import { OutboxEntity } from '#libs/outbox/src/index.js';
import {
  AutomatedUnitEntity,
  JobTransitionEntity,
  ProductionJobEntity,
  ProvenanceEntity,
} from './jobs/production-job.entity.js';
import { Production1766000000000 } from './migrations/1766000000000-production.js';
import {
  AllocationDecisionEntity,
  ProductionRequestEntity,
  RequestTransitionEntity,
} from './requests/production-request.entity.js';

export const productionDatabase: AppDatabaseDefinition = {
  schema: 'production',
  entities: [
    ProductionRequestEntity,
    RequestTransitionEntity,
    AllocationDecisionEntity,
    ProductionJobEntity,
    JobTransitionEntity,
    ProvenanceEntity,
    AutomatedUnitEntity,
    OutboxEntity,
  ],
  migrations: [Production1766000000000],
};
