import type { AdvanceOutcome, AdvanceTarget, JobWork } from '../jobs/job-work.js';
import type { ActorColumns } from '../shared/actor-columns.js';

interface Pending {
  id: string;
  resolve: (outcome: AdvanceOutcome) => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions {
  /** Jobs per transaction at most. */
  maxBatch?: number;
  /** How long the first job of a batch waits for company (ms); 0: the next turn of the event loop. */
  maxWaitMs?: number;
}

/**
 * Groups the connector's job steps into shared transactions. PostgreSQL takes a bounded number
 * of durable commits per second (~1,300 here), and a job's accept, start and complete with
 * their transitions, provenance and outbox rows are one transaction's worth of work each: done
 * one job at a time that is the ceiling. Jobs arriving together (a worker's concurrency) share
 * one commit instead. A batch that fails is split and each job retried alone, so one bad job
 * cannot fail its neighbours (BullMQ retries whatever still fails).
 */
export class JobBatcher {
  private readonly pending = new Map<AdvanceTarget, Pending[]>();
  private readonly timers = new Map<AdvanceTarget, NodeJS.Timeout | null>();
  private readonly maxBatch: number;
  /** Transactions run, jobs in them, and time spent in them (ms). */
  readonly stats = { batches: 0, jobs: 0, ms: 0, splits: 0 };
  private readonly maxWaitMs: number;

  constructor(
    private readonly work: JobWork,
    private readonly actor: ActorColumns,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 250;
    this.maxWaitMs = options.maxWaitMs ?? 0;
  }

  advance(jobId: string, target: AdvanceTarget): Promise<AdvanceOutcome> {
    return new Promise((resolve, reject) => {
      const list = this.pending.get(target) ?? [];
      list.push({ id: jobId, resolve, reject });
      this.pending.set(target, list);
      if (list.length >= this.maxBatch) this.flush(target);
      else if (!this.timers.get(target)) {
        this.timers.set(target, setTimeout(() => this.flush(target), this.maxWaitMs));
      }
    });
  }

  private flush(target: AdvanceTarget): void {
    const timer = this.timers.get(target);
    if (timer) clearTimeout(timer);
    this.timers.set(target, null);
    const batch = this.pending.get(target) ?? [];
    this.pending.set(target, []);
    if (batch.length) void this.run(batch, target);
  }

  private async run(batch: Pending[], target: AdvanceTarget): Promise<void> {
    try {
      const t0 = performance.now();
      const outcomes = await this.work.advanceMany(batch.map((p) => p.id), target, this.actor);
      this.stats.batches++;
      this.stats.jobs += batch.length;
      this.stats.ms += performance.now() - t0;
      for (const p of batch) p.resolve(outcomes.get(p.id) ?? 'missing');
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      this.stats.splits++;
      await Promise.all(batch.map((p) => this.run([p], target)));
    }
  }
}
