import { type Actor, notFound } from '#libs/contracts/src/index.js';
import type { JobWork } from '../../../jobs/job-work.js';
import { actorColumns } from '../../../shared/actor-columns.js';
import { illegalRequestTransition } from '../../request-state.js';

/** The requester withdraws a request: its live jobs are cancelled and their reservations released. */
export class CancelRequest {
  constructor(private readonly work: JobWork) {}

  async execute(id: string, actor: Actor | null): Promise<void> {
    const who = actorColumns(actor);
    await this.work.tx(async (m, events) => {
      await this.work.requests.lock(m, [id]);
      const rows = await this.work.requests.transition(m, [id], 'cancel', who, { reason: 'cancelled by the requester' });
      if (rows.length === 0) {
        const current = await this.work.requests.find(m, id);
        if (!current) throw notFound('production request', id);
        throw illegalRequestTransition(id, current.state, 'cancel');
      }
      this.work.requestEvents(events, rows, 'cancel');
      await this.work.cancelJobsOf(m, events, [id], who, 'the request was cancelled');
    });
  }
}
