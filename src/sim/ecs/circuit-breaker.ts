import { addEvent, messages, subject } from "./events.js";
import { startRollback } from "./deployments.js";
import type { ServiceRecord, TaskRecord } from "./service-model.js";
import type { Sched } from "./world.js";

const ROLLBACK_REASON = "Service deployment rolled back because the circuit breaker threshold was exceeded.";
const FAILED_REASON = "Service deployment failed because the circuit breaker threshold was exceeded.";

/**
 * Counts a failed task against its deployment and trips the deployment circuit breaker at the threshold: the
 * rollout turns FAILED and, with rollback on, ECS rolls back to the last completed deployment.
 */
export function recordTaskFailure(s: Sched, service: ServiceRecord, task: TaskRecord, at: Date): void {
  if (task.owner.kind !== "deployment") return;
  const deployment = service.deployments.find((d) => d.id === task.owner.id);
  if (!deployment) return;
  deployment.failedTasks += 1;
  deployment.updatedAt = at;
  const serviceDeployment = s.world.serviceDeployments.get(deployment.serviceDeploymentArn);
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  if (!breaker.enable || deployment.status !== "PRIMARY" || deployment.rolloutState !== "IN_PROGRESS") return;
  // A rollback deployment carries the failed service deployment; its own failures do not re-count there.
  const isRollback = serviceDeployment?.deploymentId !== deployment.id;
  if (serviceDeployment && !isRollback) {
    serviceDeployment.circuitBreaker.failureCount = deployment.failedTasks;
    serviceDeployment.updatedAt = at;
  }
  const threshold = serviceDeployment?.circuitBreaker.threshold || Math.min(200, Math.max(3, Math.ceil(service.desiredCount / 2)));
  if (deployment.failedTasks < threshold) return;

  deployment.rolloutState = "FAILED";
  deployment.rolloutStateReason = "ECS deployment circuit breaker: tasks failed to start.";
  addEvent(service, at, messages.deploymentFailed(subject(service), deployment.id));
  const target = service.lastCompleted;
  if (serviceDeployment && !isRollback) {
    serviceDeployment.circuitBreaker.status = "TRIGGERED";
    serviceDeployment.updatedAt = at;
  }
  if (breaker.rollback && target && !isRollback) {
    startRollback(s, service, deployment, target, at);
    addEvent(service, at, messages.rollingBack(subject(service), target.id));
    if (serviceDeployment) {
      serviceDeployment.status = "ROLLBACK_IN_PROGRESS";
      serviceDeployment.statusReason = ROLLBACK_REASON;
      serviceDeployment.rollback = { reason: ROLLBACK_REASON, startedAt: at, serviceRevisionArn: target.revisionArn, deploymentId: target.id };
    }
    return;
  }
  if (serviceDeployment) {
    if (isRollback) {
      serviceDeployment.status = "ROLLBACK_FAILED";
    } else {
      // ECS keeps trying to start the failed revision; the service deployment is over all the same.
      serviceDeployment.status = "STOPPED";
      serviceDeployment.statusReason = FAILED_REASON;
      serviceDeployment.stoppedAt = at;
    }
    serviceDeployment.finishedAt = at;
    serviceDeployment.updatedAt = at;
  }
}
