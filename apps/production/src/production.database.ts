import type { AppDatabaseDefinition } from '#libs/database/src/index.js';
import { OutboxEntity } from '#libs/outbox/src/index.js';
import {
  AutomatedUnitEntity,
  JobTransitionEntity,
  ProductionJobEntity,
  ProvenanceEntity,
} from './jobs/production-job.entity.js';
import { Production1766000000000 } from './migrations/1766000000000-production.js';
import { FundingPeriod1766100000000 } from './migrations/1766100000000-funding-period.js';
import { JobTimesAndSweepIndex1766100000001 } from './migrations/1766100000001-job-times-and-sweep-index.js';
import { FundingPool1766100000010 } from './migrations/1766100000010-funding-pool.js';
import { DropJobsRequestIndex1766200000000 } from './migrations/1766200000000-drop-jobs-request-index.js';
import { TransitionsKeyedBySubject1766300000000 } from './migrations/1766300000000-transitions-keyed-by-subject.js';
import { OutboxFanout1766300000010 } from './migrations/1766300000010-outbox-fanout.js';
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
  migrations: [Production1766000000000, FundingPeriod1766100000000, JobTimesAndSweepIndex1766100000001, FundingPool1766100000010, DropJobsRequestIndex1766200000000, TransitionsKeyedBySubject1766300000000, OutboxFanout1766300000010],
};
