import type { TransitionView } from '#libs/contracts/src/production/views.js';
import { JOB_TRANSITIONS } from '../jobs/job-state.js';
import { REQUEST_TRANSITIONS } from '../requests/request-state.js';
import { combinedAction, expandSteps } from './combined-steps.js';

const row = (from: string | null, to: string, action: string, detail: Record<string, unknown> | null = null): TransitionView => ({
  from,
  to,
  action,
  actor: { kind: 'system', accountId: null, apiKeyId: null },
  detail,
  at: '2026-11-24T17:00:00.000Z',
});

describe('combined steps', () => {
  it('joins actions in order', () => {
    expect(combinedAction(['accept', 'start', 'complete'])).toBe('accept+start+complete');
    expect(combinedAction(['fulfil'])).toBe('fulfil');
  });

  it('shows a plain row as stored', () => {
    const plain = row('queued', 'accepted', 'accept');
    expect(expandSteps(plain, JOB_TRANSITIONS)).toEqual([plain]);
  });

  it.each([
    ['queued', 'completed', 'accept+start+complete', [['queued', 'accepted', 'accept'], ['accepted', 'in_progress', 'start'], ['in_progress', 'completed', 'complete']]],
    ['accepted', 'completed', 'start+complete', [['accepted', 'in_progress', 'start'], ['in_progress', 'completed', 'complete']]],
    ['queued', 'in_progress', 'accept+start', [['queued', 'accepted', 'accept'], ['accepted', 'in_progress', 'start']]],
  ])('expands a job row %s → %s (%s) into its steps, same actor and time', (from, to, action, steps) => {
    const views = expandSteps(row(from, to, action), JOB_TRANSITIONS);
    expect(views.map((v) => [v.from, v.to, v.action])).toEqual(steps);
    for (const v of views) expect([v.actor, v.at]).toEqual([{ kind: 'system', accountId: null, apiKeyId: null }, '2026-11-24T17:00:00.000Z']);
  });

  it('expands a request row funded → fulfilled', () => {
    expect(expandSteps(row('funded', 'fulfilled', 'startProduction+fulfil'), REQUEST_TRANSITIONS).map((v) => [v.from, v.to, v.action])).toEqual([
      ['funded', 'in_production', 'startProduction'],
      ['in_production', 'fulfilled', 'fulfil'],
    ]);
  });

  it('keeps the detail on the last step only', () => {
    const views = expandSteps(row('queued', 'in_progress', 'accept+start', { note: 'x' }), JOB_TRANSITIONS);
    expect(views.map((v) => v.detail)).toEqual([null, { note: 'x' }]);
  });

  it.each([
    ['an unknown action', row('queued', 'completed', 'accept+teleport')],
    ['a chain that does not reach the row’s state', row('queued', 'completed', 'accept+start')],
    ['a chain from nowhere', row(null, 'accepted', 'create+accept')],
  ])('shows %s as stored rather than guessing', (_what, stored) => {
    expect(expandSteps(stored, JOB_TRANSITIONS)).toEqual([stored]);
  });
});
