import { Inject, Injectable } from '@nestjs/common';
import {
  MAX_OUTCOME_KEYS_PER_MESSAGE,
  type ReservationOutcomeMessage,
  type ReservationOutcomesMessage,
} from '#libs/contracts/src/fabrication/messages.js';
import { RESERVATIONS_REPOSITORY, type ReservationsRepository } from '../../reservations.repository.js';
import { stockChanges, stockRowsOf } from './stock-settlement.js';

export type SettleResult = 'applied' | 'repeat' | 'unknown-key';
type Outcome = ReservationOutcomeMessage['outcome'];

/** A message that can never be applied: retrying it would not help. */
export class MalformedOutcomeError extends Error {}

/**
 * A job ended: `consume` (completed) takes its held material out of stock and closes its
 * reservations; `release` (failed, cancelled) gives the material and the reserved time back.
 * Either way the time reserved after the end is freed. Applied once per key: the outcome row
 * is written first, under its primary key, in the same transaction as the effects, so a
 * message delivered twice (a BullMQ retry, a stalled job) changes the database once.
 *
 * Production sends the jobs one transaction ended the same way together: their keys are
 * settled in one transaction, with a statement per kind of row however many keys there are.
 */
@Injectable()
export class SettleReservationUseCase {
  constructor(@Inject(RESERVATIONS_REPOSITORY) private readonly repo: ReservationsRepository) {}

  /** One job's outcome (the message production sent before batches). */
  async execute(message: ReservationOutcomeMessage): Promise<SettleResult> {
    const at = new Date(message?.at);
    if (typeof message?.key !== 'string' || !message.key || !isOutcome(message.outcome) || Number.isNaN(at.getTime())) {
      throw new MalformedOutcomeError(`not a reservation outcome: ${JSON.stringify(message)}`);
    }
    const results = await this.settle([message.key], message.outcome, at);
    return results.get(message.key)!;
  }

  /** The outcome of many jobs: what became of each key. */
  async executeBatch(message: ReservationOutcomesMessage): Promise<Map<string, SettleResult>> {
    const at = new Date(message?.at);
    const keys: unknown = message?.keys;
    if (
      !Array.isArray(keys) ||
      keys.length === 0 ||
      keys.length > MAX_OUTCOME_KEYS_PER_MESSAGE ||
      !keys.every((k) => typeof k === 'string' && k.length > 0) ||
      !isOutcome(message.outcome) ||
      Number.isNaN(at.getTime())
    ) {
      throw new MalformedOutcomeError(`not a batch of reservation outcomes: ${JSON.stringify(message).slice(0, 500)}`);
    }
    return this.settle(keys as string[], message.outcome, at);
  }

  private settle(keys: readonly string[], outcome: Outcome, at: Date): Promise<Map<string, SettleResult>> {
    return this.repo.transaction(async (tx) => {
      const results = new Map<string, SettleResult>(keys.map((k) => [k, 'repeat']));
      const recorded = await this.repo.recordOutcomes(keys, outcome, at, tx);
      if (!recorded.length) return results;
      // Recorded even for an unknown key: a placement arriving later for an ended job is refused.
      for (const key of recorded) results.set(key, 'unknown-key');
      const placements = await this.repo.lockPlacements(recorded, tx);
      if (!placements.length) return results;
      const placed = placements.map((p) => p.key);
      for (const key of placed) results.set(key, 'applied');

      const holds = await this.repo.activeHolds(placed, tx);
      if (holds.length) {
        const stocks = await this.repo.lockStocks(stockRowsOf(holds), tx);
        await this.repo.adjustStocks(stockChanges(holds, stocks, outcome), tx);
        await this.repo.endHolds(holds.map((h) => h.id), outcome, at, tx);
      }
      await this.repo.endReservations(placed, at, outcome === 'consume', tx);
      if (outcome === 'consume') {
        const builds = placements.flatMap((p) => (p.designVersionId ? [{ key: p.key, fabUnitId: p.fabUnitId, designVersionId: p.designVersionId }] : []));
        await this.repo.recordBuilds(builds, at, tx);
      }
      return results;
    });
  }
}

const isOutcome = (x: unknown): x is Outcome => x === 'consume' || x === 'release';
