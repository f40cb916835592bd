import { describe, expect, it } from '@jest/globals';
import { JOB_STATES } from '#libs/contracts/src/production/states.js';
import { decideRequeue, type EntryState, fabEntryId, isLiveEntry, type OwedJob, owesQueueEntry } from './requeue.js';

const job = (over: Partial<OwedJob> = {}): OwedJob => ({
  jobId: '6f1c0d7e-1111-4222-8333-944455556666',
  fabUnitId: '0a0b0c0d-1111-4222-8333-944455556666',
  state: 'queued',
  lastActorKind: 'person',
  requeues: 0,
  ...over,
});
const entry = (state: EntryState, over: Record<string, unknown> = {}) => ({ id: 'e', state, ...over });

describe('the re-queue rules', () => {
  it('names the first entry by the job id and each re-queue after it', () => {
    expect(fabEntryId('j', 0)).toBe('j');
    expect(fabEntryId('j', 1)).toBe('j-requeue-1');
    expect(fabEntryId('j', 3)).toBe('j-requeue-3');
    expect(fabEntryId('j', 2)).not.toContain(':'); // BullMQ refuses ':' in job ids
  });

  it('owes a queue entry for a queued job, and for one the connector took; not for one taken over HTTP or ended', () => {
    const owed = JOB_STATES.flatMap((state) =>
      (['person', 'machine', 'system', null] as const).filter((kind) => owesQueueEntry({ state, lastActorKind: kind })).map((kind) => `${state}/${kind}`),
    );
    expect(owed).toEqual([
      'queued/person',
      'queued/machine',
      'queued/system',
      'queued/null',
      'accepted/system',
      'in_progress/system',
    ]);
  });

  it('counts waiting, delayed (backing off), active, prioritized and waiting-children entries as live', () => {
    const all: EntryState[] = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed', 'unknown', 'missing'];
    expect(all.filter((state) => isLiveEntry({ state }))).toEqual(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);
  });

  it('leaves a job whose entry lives, and a job that is not on the queue', () => {
    expect(decideRequeue(job(), entry('waiting'), 3)).toEqual({ kind: 'leave', why: 'entry-live' });
    expect(decideRequeue(job(), entry('delayed'), 3)).toEqual({ kind: 'leave', why: 'entry-live' });
    expect(decideRequeue(job({ state: 'accepted', lastActorKind: 'person' }), entry('missing'), 3)).toEqual({ kind: 'leave', why: 'not-on-queue' });
    expect(decideRequeue(job({ state: 'completed' }), entry('missing'), 3)).toEqual({ kind: 'leave', why: 'not-on-queue' });
  });

  it('re-queues a job whose entry is gone, failed for good or completed without moving it, under the next entry id', () => {
    for (const state of ['missing', 'failed', 'completed', 'unknown'] as const) {
      expect(decideRequeue(job({ requeues: 1 }), entry(state), 3)).toMatchObject({ kind: 'requeue', requeue: 2, entryId: `${job().jobId}-requeue-2` });
    }
    expect(decideRequeue(job({ state: 'in_progress', lastActorKind: 'system' }), entry('failed', { attemptsMade: 8, attempts: 8, failedReason: 'deadlock' }), 3)).toEqual({
      kind: 'requeue',
      requeue: 1,
      entryId: `${job().jobId}-requeue-1`,
      deadEntry: 'entry e failed after 8 of 8 attempts (deadlock)',
    });
  });

  it('gives up once the cap is reached, saying why', () => {
    const decision = decideRequeue(job({ requeues: 3 }), entry('missing'), 3);
    expect(decision).toEqual({
      kind: 'giveUp',
      deadEntry: 'entry e is gone from the queue',
      reason: 'no worker finished it: entry e is gone from the queue, and it was re-queued 3 times already (at most 3)',
    });
    expect(decideRequeue(job({ requeues: 2 }), entry('missing'), 3).kind).toBe('requeue');
    // A cap of 0: never re-queued, failed at the first dead entry.
    expect(decideRequeue(job(), entry('failed'), 0).kind).toBe('giveUp');
  });
});
