import type { JobState } from '#libs/contracts/src/production/states.js';
import { combinedAction } from '../shared/combined-steps.js';
import type { JobAction } from './job-state.js';

/** Where the automated connector takes a job: started (a machine that takes time) or completed. */
export type AdvanceTarget = 'in_progress' | 'completed';

/** The connector's path, step by step: [action, from, to]. */
export const CONNECTOR_STEPS: readonly (readonly [JobAction, JobState, JobState])[] = [
  ['accept', 'queued', 'accepted'],
  ['start', 'accepted', 'in_progress'],
  ['complete', 'in_progress', 'completed'],
];

/** How far along the path a state is; 9: off it (ended otherwise). */
export const PATH_ORDER: Readonly<Record<JobState, number>> = {
  queued: 0,
  accepted: 1,
  in_progress: 2,
  completed: 3,
  failed: 9,
  cancelled: 9,
  declined: 9,
};

/** The steps a job at `from` passes on its way to `target` (none when it is there, past it, or off the path). */
export function stepsToward(from: JobState, target: AdvanceTarget): (readonly [JobAction, JobState, JobState])[] {
  if (PATH_ORDER[from] >= PATH_ORDER[target]) return [];
  return CONNECTOR_STEPS.slice(PATH_ORDER[from], PATH_ORDER[target]);
}

/** For each state the connector moves a job from, the one transition row's action (`accept+start+complete`…). */
export function combinedActionsToward(target: AdvanceTarget): Record<string, string> {
  const actions: Record<string, string> = {};
  for (const [, from] of CONNECTOR_STEPS) {
    const steps = stepsToward(from, target);
    if (steps.length) actions[from] = combinedAction(steps.map(([action]) => action));
  }
  return actions;
}
