import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { MotionResultView } from '#libs/contracts/src/council/index.js';
import { MotionBallotEntity, MotionEntity } from './motion.entity.js';
import type { MotionsRepository } from './motions.repository.js';

@Injectable()
export class TypeormMotionsRepository implements MotionsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  async create(tx: EntityManager, motion: Parameters<MotionsRepository['create']>[1]): Promise<MotionEntity> {
    const saved = await tx.save(tx.create(MotionEntity, { ...motion, state: 'open' }));
    return tx.findOneByOrFail(MotionEntity, { id: saved.id });
  }

  find(id: string, tx: EntityManager = this.ds.manager): Promise<MotionEntity | null> {
    return tx.findOneBy(MotionEntity, { id });
  }

  lock(tx: EntityManager, id: string, mode: 'share' | 'update'): Promise<MotionEntity | null> {
    return tx
      .createQueryBuilder(MotionEntity, 'm')
      .setLock(mode === 'share' ? 'pessimistic_read' : 'pessimistic_write')
      .where('m.id = :id', { id })
      .getOne();
  }

  async putBallot(
    tx: EntityManager,
    b: { motionId: string; memberId: string; choice: MotionBallotEntity['choice']; ranking: string[] | null; receipt: string; castAt: Date },
    replaceable: boolean,
  ): Promise<{ stored: boolean; replaced: boolean }> {
    const rows: { replaced: boolean }[] = await tx.query(
      `INSERT INTO council.motion_ballots (motion_id, member_id, choice, ranking, receipt, cast_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT motion_ballots_one_per_member DO ${
         replaceable ? 'UPDATE SET choice = EXCLUDED.choice, ranking = EXCLUDED.ranking, receipt = EXCLUDED.receipt, cast_at = EXCLUDED.cast_at' : 'NOTHING'
       }
       RETURNING (xmax <> 0) AS replaced`,
      [b.motionId, b.memberId, b.choice, b.ranking === null ? null : JSON.stringify(b.ranking), b.receipt, b.castAt],
    );
    return rows[0] ? { stored: true, replaced: rows[0].replaced } : { stored: false, replaced: false };
  }

  ballots(motionId: string, tx: EntityManager = this.ds.manager): Promise<MotionBallotEntity[]> {
    return tx.find(MotionBallotEntity, { where: { motionId }, order: { id: 'ASC' } });
  }

  async close(tx: EntityManager, id: string, result: MotionResultView, closedAt: Date): Promise<void> {
    await tx.query(`UPDATE council.motions SET state = 'closed', result = $2, closed_at = $3 WHERE id = $1 AND state = 'open'`, [
      id,
      JSON.stringify(result),
      closedAt,
    ]);
  }
}
