import type { EntityManager } from 'typeorm';
import type { MotionResultView } from '#libs/contracts/src/council/index.js';
import type { MotionBallotEntity, MotionEntity } from './motion.entity.js';

/** Motions and their ballots. Methods taking `tx` run inside the caller's transaction. */
export interface MotionsRepository {
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T>;
  create(tx: EntityManager, motion: Omit<MotionEntity, 'id' | 'createdAt' | 'state' | 'result' | 'closedAt'>): Promise<MotionEntity>;
  find(id: string, tx?: EntityManager): Promise<MotionEntity | null>;
  /** `share` by ballots, `update` by the close: as for rounds, nothing is stored after the close. */
  lock(tx: EntityManager, id: string, mode: 'share' | 'update'): Promise<MotionEntity | null>;
  putBallot(
    tx: EntityManager,
    ballot: { motionId: string; memberId: string; choice: MotionBallotEntity['choice']; ranking: string[] | null; receipt: string; castAt: Date },
    replaceable: boolean,
  ): Promise<{ stored: boolean; replaced: boolean }>;
  ballots(motionId: string, tx?: EntityManager): Promise<MotionBallotEntity[]>;
  close(tx: EntityManager, id: string, result: MotionResultView, closedAt: Date): Promise<void>;
}

export const MOTIONS_REPOSITORY = Symbol('MOTIONS_REPOSITORY');
