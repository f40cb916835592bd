import type { AdvanceOutcome, AdvanceTarget, JobWork } from '../jobs/job-work.js';
import type { ActorColumns } from '../shared/actor-columns.js';
import { Batcher, type BatcherOptions } from '../shared/batcher.js';

/**
 * The connector's job steps, grouped into shared transactions (see Batcher): a job's accept,
 * start and complete with their transitions, provenance and outbox rows are one transaction's
 * worth of work each, and jobs arriving together (a worker's concurrency) share one commit.
 * One batch per target (started, completed).
 */
export class JobBatcher {
  private readonly batcher: Batcher<AdvanceTarget, string, AdvanceOutcome>;

  constructor(work: JobWork, actor: ActorColumns, options: BatcherOptions = {}) {
    this.batcher = new Batcher(async (target, ids) => {
      const outcomes = await work.advanceMany(ids, target, actor);
      return ids.map((id) => outcomes.get(id) ?? 'missing');
    }, options);
  }

  /** Transactions run, jobs in them, and time spent in them (ms). */
  get stats(): Batcher<AdvanceTarget, string, AdvanceOutcome>['stats'] {
    return this.batcher.stats;
  }

  advance(jobId: string, target: AdvanceTarget): Promise<AdvanceOutcome> {
    return this.batcher.add(target, jobId);
  }
}
