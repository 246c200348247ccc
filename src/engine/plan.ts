/**
 * A step's plan: what it will change, worked out purely from the desired state and the state it read. An empty
 * plan means no AWS write at all; a dry run prints the plan and stops.
 */
export interface Action<Kind extends string = string, Params = unknown> {
  kind: Kind;
  /**
   * Stable identity of this action within a deployment, so a resumed deployment recognises what it already
   * did (e.g. "register web@3f9c…" — the same desired state gives the same key).
   */
  key: string;
  /** One line for people: what this action does. */
  summary: string;
  params: Params;
}

export interface Plan<A extends Action = Action> {
  step: string;
  actions: A[];
  /** A readable difference between current and desired state, shown whether or not anything changes. */
  diff: string[];
  /** Facts the plan relied on that a person should know (e.g. "revision 12 reused: nothing changed"). */
  notes: string[];
}

export function describePlan(plan: Plan): string[] {
  const lines = [`${plan.step}: ${plan.actions.length === 0 ? "no changes" : `${plan.actions.length} action(s)`}`];
  for (const action of plan.actions) lines.push(`  + ${action.summary}`);
  for (const note of plan.notes) lines.push(`  · ${note}`);
  return lines;
}
