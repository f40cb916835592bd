import { Inject, Injectable } from '@nestjs/common';
import type { ReservationOutcomeMessage } from '#libs/contracts/src/fabrication/messages.js';
import { convertQuantity } from '#libs/taxonomy/src/index.js';
import { RESERVATIONS_REPOSITORY, type ReservationsRepository } from '../../reservations.repository.js';

export type SettleResult = 'applied' | 'repeat' | 'unknown-key';

/** A message that can never be applied: retrying it would not help. */
export class MalformedOutcomeError extends Error {}

/**
 * A job ended: `consume` (completed) takes its held material out of stock and closes its
 * reservations; `release` (failed, cancelled) gives the material and the reserved time back.
 * Either way the time reserved after the end is freed. Applied once per key: the outcome row
 * is written first, under its primary key, in the same transaction as the effects, so a
 * message delivered twice (a BullMQ retry, a stalled job) changes the database once.
 */
@Injectable()
export class SettleReservationUseCase {
  constructor(@Inject(RESERVATIONS_REPOSITORY) private readonly repo: ReservationsRepository) {}

  async execute(message: ReservationOutcomeMessage): Promise<SettleResult> {
    const at = new Date(message?.at);
    if (typeof message?.key !== 'string' || !message.key || !['consume', 'release'].includes(message.outcome) || Number.isNaN(at.getTime())) {
      throw new MalformedOutcomeError(`not a reservation outcome: ${JSON.stringify(message)}`);
    }
    const { key, outcome } = message;
    return this.repo.transaction(async (tx) => {
      if (!(await this.repo.recordOutcome(key, outcome, at, tx))) return 'repeat';
      // Recorded even for an unknown key: a placement arriving later for an ended job is refused.
      const placement = await this.repo.placement(key, tx, true);
      if (!placement) return 'unknown-key';

      const hold = await this.repo.activeHold(key, tx);
      if (hold) {
        const stock = await this.repo.lockStock(hold.fabUnitId, hold.material, tx);
        let quantity = hold.quantity;
        if (stock?.unit && stock.unit !== hold.unit) {
          try {
            quantity = convertQuantity(hold.quantity, hold.unit, stock.unit);
          } catch {
            // the operator changed the stock to another dimension meanwhile: the hold was rescaled with it
          }
        }
        if (outcome === 'consume') await this.repo.adjustStock(hold.fabUnitId, hold.material, quantity, 0, tx);
        else await this.repo.adjustStock(hold.fabUnitId, hold.material, 0, quantity, tx);
        await this.repo.endHold(hold.id, outcome, at, tx);
      }
      await this.repo.endReservations(key, at, outcome === 'consume', tx);
      if (outcome === 'consume' && placement.designVersionId) {
        await this.repo.recordBuild(key, placement.fabUnitId, placement.designVersionId, at, tx);
      }
      return 'applied';
    });
  }
}
