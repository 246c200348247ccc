import { eventId } from "./ids.js";
import type { ServiceRecord } from "./service-model.js";

/**
 * Service events in AWS's own wording. DescribeServices returns them newest first, and AWS keeps only the most
 * recent 100; tools (and people) grep these exact sentences, so the wording matters.
 */
export const EVENT_LIMIT = 100;

export function addEvent(service: ServiceRecord, at: Date, message: string): void {
  service.events.unshift({ id: eventId(), createdAt: at, message });
  if (service.events.length > EVENT_LIMIT) service.events.length = EVENT_LIMIT;
}

/** "(service web)" or, for a task set's tasks, "(service web, taskSet ecs-svc/123)". */
export function subject(service: ServiceRecord, taskSetId?: string): string {
  return taskSetId ? `(service ${service.name}, taskSet ${taskSetId})` : `(service ${service.name})`;
}

const taskList = (ids: string[]) => ids.map((id) => `(task ${id})`).join(" ");

export const messages = {
  started: (who: string, ids: string[]) => `${who} has started ${ids.length} tasks: ${taskList(ids)}.`,
  stopped: (who: string, ids: string[]) => `${who} has stopped ${ids.length} running tasks: ${taskList(ids)}.`,
  steady: (who: string) => `${who} has reached a steady state.`,
  deploymentCompleted: (who: string, deploymentId: string) => `${who} (deployment ${deploymentId}) deployment completed.`,
  deploymentFailed: (who: string, deploymentId: string) => `${who} (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
  rollingBack: (who: string, deploymentId: string) => `${who} rolling back to deployment ${deploymentId}.`,
  registered: (who: string, count: number, targetGroupArn: string) => `${who} registered ${count} targets in (target-group ${targetGroupArn})`,
  deregistered: (who: string, count: number, targetGroupArn: string) => `${who} deregistered ${count} targets in (target-group ${targetGroupArn})`,
  unhealthy: (who: string, taskId: string, port: number, targetGroupArn: string) =>
    `${who} (task ${taskId}) (port ${port}) is unhealthy in (target-group ${targetGroupArn}) due to (reason Health checks failed).`,
  /**
   * AWS's knowledge center ("Amazon ECS task fails the container health check") quotes the event as "(service
   * AWS-Service) (task ff3e71a4-…) failed container health checks"; the closing period is the other events'.
   */
  failedContainerHealthChecks: (who: string, taskId: string) => `${who} (task ${taskId}) failed container health checks.`,
};

/**
 * Registering targets is reported once per batch: tasks that turn RUNNING together are registered together,
 * so a second registration at the same instant in the same group folds into the newest event.
 */
export function addTargetEvent(service: ServiceRecord, at: Date, who: string, kind: "registered" | "deregistered", targetGroupArn: string): void {
  const newest = service.events[0];
  const pattern = new RegExp(`^${escape(who)} ${kind} (\\d+) targets in \\(target-group ${escape(targetGroupArn)}\\)$`);
  const match = newest && newest.createdAt.getTime() === at.getTime() ? pattern.exec(newest.message) : null;
  if (newest && match) {
    newest.message = messages[kind](who, Number(match[1]) + 1, targetGroupArn);
    return;
  }
  addEvent(service, at, messages[kind](who, 1, targetGroupArn));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
