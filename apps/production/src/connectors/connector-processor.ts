import type { Job } from 'bullmq';
import type { AdvanceOutcome } from '../jobs/job-work.js';
import { UUID_RE } from '../shared/ids.js';
import type { JobBatcher } from './job-batcher.js';

export interface FabQueuePayload {
  jobId: string;
}

/**
 * The automated machine connector's processor for one fab unit queue entry: accept and start
 * the job, let the machine work (`workMs`, simulated here), complete it. Every step is
 * idempotent (a state the job is already at or past is left alone), so a re-delivery — a
 * stalled worker's job taken over, a re-send after Redis lost its data — changes nothing twice.
 * A cancelled job is moot and ends the queue entry quietly.
 */
export function connectorProcessor(batcher: JobBatcher, workMs: number): (job: Job<FabQueuePayload>) => Promise<AdvanceOutcome> {
  return async (job) => {
    const id = job.data?.jobId;
    // Not a job id at all (a hand-made entry): nothing to work, and nothing retrying could change.
    if (typeof id !== 'string' || !UUID_RE.test(id)) return 'missing';
    if (workMs > 0) {
      const started = await batcher.advance(id, 'in_progress');
      if (started === 'moot' || started === 'missing') return started;
      await new Promise((resolve) => setTimeout(resolve, workMs));
    }
    return batcher.advance(id, 'completed');
  };
}
