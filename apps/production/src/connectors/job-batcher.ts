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
  /** Transactions of this batcher running at once; jobs arriving meanwhile wait and form the next batch. */
  maxInFlight?: number;
}

/**
 * Groups the connector's job steps into shared transactions. PostgreSQL takes a bounded number
 * of durable commits per second (~1,300 here), and a job's accept, start and complete with
 * their transitions, provenance and outbox rows are one transaction's worth of work each: done
 * one job at a time that is the ceiling. Jobs arriving together (a worker's concurrency) share
 * one commit instead. A batch that fails is split and each job retried alone, so one bad job
 * cannot fail its neighbours (BullMQ retries whatever still fails).
 *
 * Decision: at most `maxInFlight` transactions at once, the jobs arriving meanwhile waiting for
 * the next one. The batch size then follows the load by itself: one job when the queues are
 * quiet (no added wait), up to `maxBatch` when they are busy. Without the bound every turn of
 * the event loop started a transaction of the few jobs that had arrived (~70 each under the
 * queue bench's load, as many at once as the pool had connections), and PostgreSQL spent about
 * a fifth more CPU per job on statement overhead and on concurrent writers to the same index
 * pages (transition and outbox keys all grow at one end).
 */
export class JobBatcher {
  private readonly pending = new Map<AdvanceTarget, Pending[]>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxWaitMs: number;
  private readonly maxInFlight: number;
  /** Transactions run, jobs in them, and time spent in them (ms). */
  readonly stats = { batches: 0, jobs: 0, ms: 0, splits: 0 };

  constructor(
    private readonly work: JobWork,
    private readonly actor: ActorColumns,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 250;
    this.maxWaitMs = options.maxWaitMs ?? 0;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 2);
  }

  advance(jobId: string, target: AdvanceTarget): Promise<AdvanceOutcome> {
    return new Promise((resolve, reject) => {
      const list = this.pending.get(target) ?? [];
      list.push({ id: jobId, resolve, reject });
      this.pending.set(target, list);
      if (this.inFlight >= this.maxInFlight) return; // a transaction ending takes it
      if (list.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  /** Starts transactions for what is waiting, as many as the bound allows, fullest target first. */
  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.inFlight < this.maxInFlight) {
      let target: AdvanceTarget | null = null;
      for (const [t, list] of this.pending) if (list.length && (!target || list.length > this.pending.get(target)!.length)) target = t;
      if (!target) return;
      const list = this.pending.get(target)!;
      const batch = list.splice(0, this.maxBatch);
      this.inFlight++;
      void this.run(batch, target).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
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
