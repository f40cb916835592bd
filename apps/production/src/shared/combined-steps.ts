import type { TransitionView } from '#libs/contracts/src/production/views.js';

/**
 * Steps one actor takes in one statement are recorded as ONE transition row whose action names
 * them in order, joined by `+`: the automated connector's `accept+start+complete` of a job, a
 * request's `startProduction+fulfil` when its only job completes at once.
 *
 * Why: the rows this replaces carried the same actor, the same time (`now()` is the
 * transaction's) and no detail, so they said nothing one row cannot. On production's hottest
 * write path each of them cost a heap row, two or three index entries and a foreign-key check:
 * two thirds of the connector's transition writes. Readers see the steps again: the views
 * expand the row (`expandSteps`), so the API still lists every step with who and when.
 */
export const STEP_SEPARATOR = '+';

export function combinedAction(actions: readonly string[]): string {
  return actions.join(STEP_SEPARATOR);
}

/** A state machine's table as `expandSteps` needs it: where each action leads (`same`: stays). */
export type StepTable = Readonly<Record<string, { to: string }>>;

/**
 * One stored transition as the views show it: a combined row becomes one view per step, each
 * from the state the previous one reached. A row that does not read as a chain of the table's
 * actions from its `from` to its `to` (hand-written, or an action renamed since) is shown as
 * stored rather than guessed at.
 */
export function expandSteps(view: TransitionView, table: StepTable): TransitionView[] {
  if (!view.action.includes(STEP_SEPARATOR)) return [view];
  const actions = view.action.split(STEP_SEPARATOR);
  const steps: TransitionView[] = [];
  let from = view.from;
  for (const action of actions) {
    const rule = table[action];
    if (!rule || from === null) return [view];
    const to = rule.to === 'same' ? from : rule.to;
    steps.push({ ...view, from, to, action, detail: null });
    from = to;
  }
  if (from !== view.to) return [view];
  steps[steps.length - 1] = { ...steps[steps.length - 1]!, detail: view.detail };
  return steps;
}
