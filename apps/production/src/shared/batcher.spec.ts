import { describe, expect, it } from '@jest/globals';
import { Batcher } from './batcher.js';

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The queue-facing behaviour (in-flight bound, batch size, splitting) is specified in connectors/job-batcher.spec.ts. */
describe('Batcher', () => {
  it('answers each caller the outcome of its own item, whatever the order', async () => {
    const runs: string[][] = [];
    const batcher = new Batcher<string, number, string>(async (key, items) => {
      runs.push(items.map(String));
      return items.map((n) => `${key}:${n * 10}`);
    });
    const answers = await Promise.all([batcher.add('a', 3), batcher.add('a', 1), batcher.add('b', 2)]);
    expect(answers).toEqual(['a:30', 'a:10', 'b:20']);
    expect(runs).toEqual([['3', '1'], ['2']]);
    expect(batcher.stats).toMatchObject({ batches: 2, jobs: 3, splits: 0 });
  });

  it('with maxWaitMs, the first item waits for company', async () => {
    const runs: number[][] = [];
    const batcher = new Batcher<string, number, number>(async (_key, items) => {
      runs.push(items);
      return items;
    }, { maxWaitMs: 30 });
    const first = batcher.add('k', 1);
    await turn();
    const second = batcher.add('k', 2);
    await Promise.all([first, second]);
    expect(runs).toEqual([[1, 2]]);
  });
});
