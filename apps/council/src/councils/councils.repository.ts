import type { EntityManager } from 'typeorm';
import type { CouncilRules, MemberRole } from '#libs/contracts/src/council/index.js';
import type { CouncilEntity, CouncilFabUnitEntity, MemberEntity } from './council.entity.js';

/** Councils, their members and their fab units. Methods taking `tx` run inside the caller's transaction. */
export interface CouncilsRepository {
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T>;
  createWithAdmin(tx: EntityManager, council: { name: string; scope: string; rules: CouncilRules; createdBy: string }): Promise<CouncilEntity>;
  find(id: string, tx?: EntityManager): Promise<CouncilEntity | null>;
  /** Locks the council row: membership and rules changes of one council happen one at a time. */
  lock(tx: EntityManager, id: string): Promise<CouncilEntity | null>;
  updateRules(tx: EntityManager, id: string, rules: CouncilRules): Promise<void>;
  members(councilId: string, tx?: EntityManager): Promise<MemberEntity[]>;
  countMembers(councilId: string, tx?: EntityManager): Promise<number>;
  member(councilId: string, accountId: string, tx?: EntityManager): Promise<MemberEntity | null>;
  /** Null when the account is already a member (unique (council, account)). */
  addMember(tx: EntityManager, member: { councilId: string; accountId: string; role: MemberRole; admittedBy: string | null }): Promise<MemberEntity | null>;
  /** For authorization: whether the council, motion or round exists, and the account's role in its council. */
  roleOn(resource: 'council' | 'motion' | 'round', id: string, accountId: string | null): Promise<{ exists: boolean; role: MemberRole | null }>;
  fabUnits(councilId: string, tx?: EntityManager): Promise<CouncilFabUnitEntity[]>;
  /** False when the unit was already pooled. */
  addFabUnit(tx: EntityManager, row: { councilId: string; fabUnitId: string; addedBy: string }): Promise<boolean>;
}

export const COUNCILS_REPOSITORY = Symbol('COUNCILS_REPOSITORY');
