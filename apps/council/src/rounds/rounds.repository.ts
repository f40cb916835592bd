import type { EntityManager } from 'typeorm';
import type { RoundBallotContent, RoundResultView } from '#libs/contracts/src/council/index.js';
import type { CandidateEntity, RoundBallotEntity, RoundEntity } from './round.entity.js';

export interface BallotWrite {
  roundId: string;
  memberId: string;
  content: RoundBallotContent;
  receipt: string;
  castAt: Date;
}

/** Rounds, their candidates and ballots. Methods taking `tx` run inside the caller's transaction. */
export interface RoundsRepository {
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T>;
  create(tx: EntityManager, round: Omit<RoundEntity, 'id' | 'createdAt' | 'state' | 'result' | 'digest' | 'exportPb' | 'closedAt' | 'closedBy'>): Promise<RoundEntity>;
  find(id: string, tx?: EntityManager): Promise<RoundEntity | null>;
  /**
   * The round row, locked: `share` by every ballot write (many at once), `update` by the close
   * and by candidate additions, which so wait for the ballots in flight and make later ones wait.
   */
  lock(tx: EntityManager, id: string, mode: 'share' | 'update'): Promise<RoundEntity | null>;
  candidates(roundId: string, tx?: EntityManager): Promise<CandidateEntity[]>;
  /** False when the request is already a candidate of the round. */
  addCandidate(tx: EntityManager, candidate: Omit<CandidateEntity, 'addedAt'>): Promise<boolean>;
  countBallots(roundId: string, tx?: EntityManager): Promise<number>;
  ballots(roundId: string, tx?: EntityManager): Promise<(RoundBallotEntity & { accountId: string })[]>;
  ballotOf(roundId: string, accountId: string): Promise<RoundBallotEntity | null>;
  /**
   * One ballot per (round, member), by the unique constraint: insert, or replace when allowed.
   * `stored` false: a ballot exists and may not be replaced.
   */
  putBallot(tx: EntityManager, ballot: BallotWrite, replaceable: boolean): Promise<{ stored: boolean; replaced: boolean }>;
  close(tx: EntityManager, id: string, close: { result: RoundResultView; digest: string; exportPb: string; closedAt: Date; closedBy: string | null }): Promise<void>;
  exportOf(id: string): Promise<string | null>;
  /** Open rounds, for re-scheduling their closes. */
  openRounds(): Promise<Pick<RoundEntity, 'id' | 'closesAt'>[]>;
}

export const ROUNDS_REPOSITORY = Symbol('ROUNDS_REPOSITORY');
