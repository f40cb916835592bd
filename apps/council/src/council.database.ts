import type { AppDatabaseDefinition } from '#libs/database/src/index.js';
import { OutboxEntity } from '#libs/outbox/src/index.js';
import { CouncilEntity, CouncilFabUnitEntity, MemberEntity } from './councils/council.entity.js';
import { Council1765000000000 } from './migrations/1765000000000-council.js';
import { OutboxFanout1766300000010 } from './migrations/1766300000010-outbox-fanout.js';
import { MotionBallotEntity, MotionEntity } from './motions/motion.entity.js';
import { CandidateEntity, RoundBallotEntity, RoundEntity } from './rounds/round.entity.js';

export const councilDatabase: AppDatabaseDefinition = {
  schema: 'council',
  entities: [
    CouncilEntity,
    MemberEntity,
    CouncilFabUnitEntity,
    MotionEntity,
    MotionBallotEntity,
    RoundEntity,
    CandidateEntity,
    RoundBallotEntity,
    OutboxEntity,
  ],
  migrations: [Council1765000000000, OutboxFanout1766300000010],
};
