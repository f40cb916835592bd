import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CouncilRules, MemberRole } from '#libs/contracts/src/council/index.js';
import { CouncilEntity, CouncilFabUnitEntity, MemberEntity } from './council.entity.js';
import type { CouncilsRepository } from './councils.repository.js';

@Injectable()
export class TypeormCouncilsRepository implements CouncilsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  async createWithAdmin(tx: EntityManager, c: { name: string; scope: string; rules: CouncilRules; createdBy: string }): Promise<CouncilEntity> {
    const council = await tx.save(tx.create(CouncilEntity, c));
    await tx.insert(MemberEntity, { councilId: council.id, accountId: c.createdBy, role: 'admin', admittedBy: c.createdBy });
    return (await tx.findOneByOrFail(CouncilEntity, { id: council.id }));
  }

  find(id: string, tx: EntityManager = this.ds.manager): Promise<CouncilEntity | null> {
    return tx.findOneBy(CouncilEntity, { id });
  }

  lock(tx: EntityManager, id: string): Promise<CouncilEntity | null> {
    return tx.createQueryBuilder(CouncilEntity, 'c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  }

  async updateRules(tx: EntityManager, id: string, rules: CouncilRules): Promise<void> {
    await tx.query(`UPDATE council.councils SET rules = $2, updated_at = now() WHERE id = $1`, [id, JSON.stringify(rules)]);
  }

  members(councilId: string, tx: EntityManager = this.ds.manager): Promise<MemberEntity[]> {
    return tx.find(MemberEntity, { where: { councilId }, order: { admittedAt: 'ASC', id: 'ASC' } });
  }

  countMembers(councilId: string, tx: EntityManager = this.ds.manager): Promise<number> {
    return tx.countBy(MemberEntity, { councilId });
  }

  member(councilId: string, accountId: string, tx: EntityManager = this.ds.manager): Promise<MemberEntity | null> {
    return tx.findOneBy(MemberEntity, { councilId, accountId });
  }

  async addMember(tx: EntityManager, m: { councilId: string; accountId: string; role: MemberRole; admittedBy: string | null }): Promise<MemberEntity | null> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO council.members (council_id, account_id, role, admitted_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (council_id, account_id) DO NOTHING RETURNING id`,
      [m.councilId, m.accountId, m.role, m.admittedBy],
    );
    return rows[0] ? tx.findOneByOrFail(MemberEntity, { id: rows[0].id }) : null;
  }

  async roleOn(resource: 'council' | 'motion' | 'round', id: string, accountId: string | null): Promise<{ exists: boolean; role: MemberRole | null }> {
    const table = resource === 'council' ? 'councils' : resource === 'motion' ? 'motions' : 'rounds';
    const councilId = resource === 'council' ? 'x.id' : 'x.council_id';
    const rows: { role: MemberRole | null }[] = await this.ds.query(
      `SELECT m.role FROM council.${table} x LEFT JOIN council.members m ON m.council_id = ${councilId} AND m.account_id = $2 WHERE x.id = $1`,
      [id, accountId],
    );
    return { exists: rows.length > 0, role: rows[0]?.role ?? null };
  }

  fabUnits(councilId: string, tx: EntityManager = this.ds.manager): Promise<CouncilFabUnitEntity[]> {
    return tx.find(CouncilFabUnitEntity, { where: { councilId }, order: { addedAt: 'ASC', fabUnitId: 'ASC' } });
  }

  async addFabUnit(tx: EntityManager, r: { councilId: string; fabUnitId: string; addedBy: string }): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO council.council_fab_units (council_id, fab_unit_id, added_by) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING fab_unit_id`,
      [r.councilId, r.fabUnitId, r.addedBy],
    );
    return rows.length > 0;
  }
}
