import type { JobState } from '#libs/contracts/src/production/states.js';
import { combinedActionsToward, stepsToward } from './connector-path.js';
import { JOB_TRANSITIONS } from './job-state.js';

describe('the connector path', () => {
  it.each<[JobState, 'in_progress' | 'completed', string[]]>([
    ['queued', 'completed', ['accept', 'start', 'complete']],
    ['accepted', 'completed', ['start', 'complete']],
    ['in_progress', 'completed', ['complete']],
    ['queued', 'in_progress', ['accept', 'start']],
    ['accepted', 'in_progress', ['start']],
    ['in_progress', 'in_progress', []],
    ['completed', 'completed', []],
    ['cancelled', 'completed', []],
    ['failed', 'in_progress', []],
    ['declined', 'completed', []],
  ])('from %s toward %s passes %j', (from, target, actions) => {
    expect(stepsToward(from, target).map(([action]) => action)).toEqual(actions);
  });

  it('walks only transitions the state machine allows', () => {
    for (const [action, from, to] of stepsToward('queued', 'completed')) {
      expect(JOB_TRANSITIONS[action].from).toContain(from);
      expect(JOB_TRANSITIONS[action].to).toBe(to);
    }
  });

  it('names one combined action per state it moves jobs from', () => {
    expect(combinedActionsToward('completed')).toEqual({ queued: 'accept+start+complete', accepted: 'start+complete', in_progress: 'complete' });
    expect(combinedActionsToward('in_progress')).toEqual({ queued: 'accept+start', accepted: 'start' });
  });
});
