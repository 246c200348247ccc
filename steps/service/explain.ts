import type { Task } from "@aws-sdk/client-ecs";
import type { Rollout, RolloutOutcome } from "./mode.js";
import { revisionLabel } from "./state.js";

const clock = (d: Date | undefined) => (d ? d.toISOString().slice(11, 19) : "--:--:--");

function taskLine(task: Task): string {
  const id = task.taskArn?.split("/").at(-1)?.slice(0, 12) ?? "?";
  const containers = (task.containers ?? [])
    .filter((c) => c.exitCode !== undefined || c.reason)
    .map((c) => `${c.name ?? "?"}${c.exitCode !== undefined ? ` exit ${c.exitCode}` : ""}${c.reason ? ` (${c.reason})` : ""}`);
  const detail = containers.length > 0 ? `; ${containers.join(", ")}` : "";
  return `    ${clock(task.stoppingAt ?? task.stoppedAt)} task ${id} ${revisionLabel(task.taskDefinitionArn)}: ${task.stopCode ?? "stopped"}: ${task.stoppedReason ?? "no reason given"}${detail}`;
}

/**
 * Why a rollout did not succeed, in the words a person on call needs: the verdict and whether ECS rolled back,
 * the tasks that stopped (with ECS's stop code, reason and exit codes), and the last service events. Pure.
 */
export function explainFailure(rollout: Rollout, outcome: RolloutOutcome, stopped: Task[]): string[] {
  const target = revisionLabel(rollout.taskDefinitionArn);
  const lines = [`deployment of ${target} to ${rollout.serviceName} ${outcome.status === "TIMED_OUT" ? "timed out" : "failed"}: ${outcome.status}`, `  ${outcome.reason}`];
  const breaker = rollout.circuitBreaker;
  if (outcome.circuitBreakerTripped) lines.push(`  circuit breaker: tripped after ${outcome.failedTasks} failed task(s)${breaker.rollback ? " (rollback on)" : " (rollback off)"}`);
  else lines.push(`  circuit breaker: ${breaker.enable ? `on, not tripped (${outcome.failedTasks} failed task(s))` : "off"}`);
  lines.push(
    outcome.rolledBackTo
      ? `  rolled back: yes, ECS rolled back to ${revisionLabel(outcome.rolledBackTo)}`
      : `  rolled back: no${rollout.sourceTaskDefinitionArn ? ` — run \`slipway rollback\` to return to ${revisionLabel(rollout.sourceTaskDefinitionArn)}` : ""}`,
  );
  if (stopped.length > 0) {
    lines.push(`  stopped tasks of deployment ${rollout.deploymentId} (newest first):`);
    for (const task of stopped) lines.push(taskLine(task));
  } else {
    lines.push(`  stopped tasks of deployment ${rollout.deploymentId}: none — its tasks are still starting or running (look at their health checks and logs)`);
  }
  if (outcome.recentEvents.length > 0) {
    lines.push("  last service events:");
    for (const event of outcome.recentEvents.slice(-5)) lines.push(`    ${clock(event.at)} ${event.message}`);
  }
  return lines;
}
