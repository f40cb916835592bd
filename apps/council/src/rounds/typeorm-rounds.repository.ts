import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { RoundResultView } from '#libs/contracts/src/council/index.js';
import { CandidateEntity, RoundBallotEntity, RoundEntity } from './round.entity.js';
import type { BallotWrite, RoundsRepository } from './rounds.repository.js';

@Injectable()
export class TypeormRoundsRepository implements RoundsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  async create(tx: EntityManager, round: Parameters<RoundsRepository['create']>[1]): Promise<RoundEntity> {
    const saved = await tx.save(tx.create(RoundEntity, { ...round, state: 'open' }));
    return tx.findOneByOrFail(RoundEntity, { id: saved.id });
  }

  find(id: string, tx: EntityManager = this.ds.manager): Promise<RoundEntity | null> {
    return tx.findOneBy(RoundEntity, { id });
  }

  lock(tx: EntityManager, id: string, mode: 'share' | 'update'): Promise<RoundEntity | null> {
    return tx
      .createQueryBuilder(RoundEntity, 'r')
      .setLock(mode === 'share' ? 'pessimistic_read' : 'pessimistic_write')
      .where('r.id = :id', { id })
      .getOne();
  }

  candidates(roundId: string, tx: EntityManager = this.ds.manager): Promise<CandidateEntity[]> {
    return tx.find(CandidateEntity, { where: { roundId }, order: { addedAt: 'ASC', productionRequestId: 'ASC' } });
  }

  async addCandidate(tx: EntityManager, c: Omit<CandidateEntity, 'addedAt'>): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO council.candidates (round_id, production_request_id, title, purpose, requester_id, fab_unit_ids, cost_vector, cost, resources, added_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING round_id`,
      [
        c.roundId,
        c.productionRequestId,
        c.title,
        c.purpose,
        c.requesterId,
        JSON.stringify(c.fabUnitIds),
        JSON.stringify(c.costVector),
        c.cost,
        JSON.stringify(c.resources),
        c.addedBy,
      ],
    );
    return rows.length > 0;
  }

  countBallots(roundId: string, tx: EntityManager = this.ds.manager): Promise<number> {
    return tx.countBy(RoundBallotEntity, { roundId });
  }

  async ballots(roundId: string, tx: EntityManager = this.ds.manager): Promise<(RoundBallotEntity & { accountId: string })[]> {
    const rows: { id: string; member_id: string; account_id: string; content: RoundBallotEntity['content']; receipt: string; cast_at: Date }[] =
      await tx.query(
        `SELECT b.id, b.member_id, m.account_id, b.content, b.receipt, b.cast_at
         FROM council.round_ballots b JOIN council.members m ON m.id = b.member_id
         WHERE b.round_id = $1 ORDER BY b.id`,
        [roundId],
      );
    return rows.map((r) => ({ id: r.id, roundId, memberId: r.member_id, accountId: r.account_id, content: r.content, receipt: r.receipt, castAt: r.cast_at }));
  }

  async ballotOf(roundId: string, accountId: string): Promise<RoundBallotEntity | null> {
    const rows: { id: string; member_id: string; content: RoundBallotEntity['content']; receipt: string; cast_at: Date }[] = await this.ds.query(
      `SELECT b.id, b.member_id, b.content, b.receipt, b.cast_at
       FROM council.round_ballots b JOIN council.rounds r ON r.id = b.round_id
       JOIN council.members m ON m.id = b.member_id AND m.council_id = r.council_id
       WHERE b.round_id = $1 AND m.account_id = $2`,
      [roundId, accountId],
    );
    const r = rows[0];
    return r ? Object.assign(new RoundBallotEntity(), { id: r.id, roundId, memberId: r.member_id, content: r.content, receipt: r.receipt, castAt: r.cast_at }) : null;
  }

  async putBallot(tx: EntityManager, b: BallotWrite, replaceable: boolean): Promise<{ stored: boolean; replaced: boolean }> {
    // xmax is non-zero on a row version written by ON CONFLICT DO UPDATE: the ballot replaced one.
    const rows: { replaced: boolean }[] = await tx.query(
      `INSERT INTO council.round_ballots (round_id, member_id, content, receipt, cast_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT round_ballots_one_per_member DO ${
         replaceable ? 'UPDATE SET content = EXCLUDED.content, receipt = EXCLUDED.receipt, cast_at = EXCLUDED.cast_at' : 'NOTHING'
       }
       RETURNING (xmax <> 0) AS replaced`,
      [b.roundId, b.memberId, JSON.stringify(b.content), b.receipt, b.castAt],
    );
    return rows[0] ? { stored: true, replaced: rows[0].replaced } : { stored: false, replaced: false };
  }

  async close(tx: EntityManager, id: string, c: { result: RoundResultView; digest: string; exportPb: string; closedAt: Date; closedBy: string | null }): Promise<void> {
    await tx.query(
      `UPDATE council.rounds SET state = 'closed', result = $2, digest = $3, export_pb = $4, closed_at = $5, closed_by = $6 WHERE id = $1 AND state = 'open'`,
      [id, JSON.stringify(c.result), c.digest, c.exportPb, c.closedAt, c.closedBy],
    );
  }

  async exportOf(id: string): Promise<string | null> {
    const rows: { export_pb: string | null }[] = await this.ds.query(`SELECT export_pb FROM council.rounds WHERE id = $1`, [id]);
    return rows[0]?.export_pb ?? null;
  }

  openRounds(): Promise<Pick<RoundEntity, 'id' | 'closesAt'>[]> {
    return this.ds.getRepository(RoundEntity).find({ select: { id: true, closesAt: true }, where: { state: 'open' } });
  }
}
