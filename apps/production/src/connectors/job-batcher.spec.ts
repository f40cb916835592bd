import { describe, expect, it } from '@jest/globals';
import type { AdvanceOutcome, AdvanceTarget, JobWork } from '../jobs/job-work.js';
import { SYSTEM_ACTOR } from '../shared/actor-columns.js';
import { JobBatcher } from './job-batcher.js';

interface Call {
  ids: string[];
  target: AdvanceTarget;
  finish: (failing?: string) => void;
}

/** A JobWork whose transactions end when the test says so; `failing` makes one fail while it is in it. */
function fakeWork() {
  const calls: Call[] = [];
  let running = 0;
  let peak = 0;
  const work = {
    advanceMany: (ids: readonly string[], target: AdvanceTarget) =>
      new Promise<Map<string, AdvanceOutcome>>((resolve, reject) => {
        running++;
        peak = Math.max(peak, running);
        calls.push({
          ids: [...ids],
          target,
          finish: (failing) => {
            running--;
            if (failing && ids.includes(failing)) reject(new Error(`job ${failing} is bad`));
            else resolve(new Map(ids.map((id) => [id, 'advanced' as const])));
          },
        });
      }),
  } as unknown as JobWork;
  return { work, calls, peak: () => peak };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('JobBatcher', () => {
  it('keeps at most maxInFlight transactions and gathers what arrives meanwhile into the next', async () => {
    const { work, calls, peak } = fakeWork();
    const batcher = new JobBatcher(work, SYSTEM_ACTOR, { maxBatch: 100, maxInFlight: 2 });
    const first = ['a', 'b'].map((id) => batcher.advance(id, 'completed'));
    await turn();
    expect(calls.map((c) => c.ids)).toEqual([['a', 'b']]);
    const second = ['c'].map((id) => batcher.advance(id, 'completed'));
    await turn();
    expect(calls.map((c) => c.ids)).toEqual([['a', 'b'], ['c']]);
    const third = ['d', 'e', 'f'].map((id) => batcher.advance(id, 'completed'));
    await turn();
    expect(calls).toHaveLength(2); // both slots taken: d, e, f wait

    calls[0]!.finish();
    expect(await Promise.all(first)).toEqual(['advanced', 'advanced']);
    await turn();
    expect(calls.map((c) => c.ids)).toEqual([['a', 'b'], ['c'], ['d', 'e', 'f']]);
    calls[1]!.finish();
    calls[2]!.finish();
    expect(await Promise.all([...second, ...third])).toEqual(['advanced', 'advanced', 'advanced', 'advanced']);
    expect(peak()).toBe(2);
  });

  it('cuts waiting jobs into batches of maxBatch, the fullest target first', async () => {
    const { work, calls } = fakeWork();
    const batcher = new JobBatcher(work, SYSTEM_ACTOR, { maxBatch: 2, maxInFlight: 1 });
    const all = [batcher.advance('x', 'in_progress')];
    await turn();
    all.push(...['a', 'b', 'c', 'd'].map((id) => batcher.advance(id, 'completed')), batcher.advance('y', 'in_progress'));
    await turn();
    calls[0]!.finish();
    await turn();
    expect(calls.map((c) => [c.target, c.ids])).toEqual([
      ['in_progress', ['x']],
      ['completed', ['a', 'b']],
    ]);
    calls[1]!.finish();
    await turn();
    calls[2]!.finish();
    await turn();
    calls[3]!.finish();
    await Promise.all(all);
    expect(calls.map((c) => [c.target, c.ids])).toEqual([
      ['in_progress', ['x']],
      ['completed', ['a', 'b']],
      ['completed', ['c', 'd']],
      ['in_progress', ['y']],
    ]);
  });

  it('splits a failed batch: only the bad job fails, its neighbours are advanced', async () => {
    const { work, calls } = fakeWork();
    const batcher = new JobBatcher(work, SYSTEM_ACTOR, { maxInFlight: 1 });
    const results = ['a', 'bad', 'c'].map((id) => batcher.advance(id, 'completed').then((o) => o, (e: Error) => e.message));
    await turn();
    calls[0]!.finish('bad');
    await turn();
    expect(calls.slice(1).map((c) => c.ids)).toEqual([['a'], ['bad'], ['c']]);
    for (const c of calls.slice(1)) c.finish('bad');
    expect(await Promise.all(results)).toEqual(['advanced', 'job bad is bad', 'advanced']);
    expect(batcher.stats.splits).toBe(1);
  });
});
