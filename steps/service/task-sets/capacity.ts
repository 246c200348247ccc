import type { Stage } from "./stages.js";

/**
 * Stages that send the candidate a larger share of the traffic than it has of the service's capacity: its tasks
 * then carry more than a task's usual load — a 20 % canary of 5 tasks is one task, and 50 % of the traffic on it is
 * two and a half times what a task normally serves. Said in the plan (and by validate) with the numbers; never
 * refused, since a person may mean it. Pure.
 */
export function trafficBeyondCapacity(stages: readonly Stage[], desiredCount: number, label: (stage: Stage, index: number) => string): string[] {
  const warnings: string[] = [];
  let scale: number | undefined;
  stages.forEach((stage, index) => {
    if (stage.kind === "rollout") scale = stage.scale;
    // From the primary rollout on, the new revision runs at full scale on the live group.
    if (stage.kind === "primary-rollout" || stage.kind === "initial-rollout") scale = undefined;
    if (stage.kind !== "traffic" || scale === undefined || desiredCount === 0) return;
    const tasks = Math.ceil((scale / 100) * desiredCount);
    // ECS rounds the scale up to whole tasks: that is the capacity the traffic meets.
    const capacity = (100 * tasks) / desiredCount;
    if (stage.percent <= capacity + 1e-9) return;
    const round = (n: number) => Number(n.toFixed(1));
    warnings.push(
      `warning: ${label(stage, index)} sends ${stage.percent}% of the traffic to ${tasks} new task(s), ${round(capacity)}% of the service's ${desiredCount} (scale ${scale}%): each carries ${round(stage.percent / capacity)}× a task's usual load. Raise the rollout's scale to ${stage.percent}% or lower the share to ${Math.floor(capacity)}%.`,
    );
  });
  return warnings;
}
