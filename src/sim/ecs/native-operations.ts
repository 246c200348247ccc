import type { ContinueServiceDeploymentRequest, ContinueServiceDeploymentResponse, StopServiceDeploymentRequest, StopServiceDeploymentResponse } from "@aws-sdk/client-ecs";
import { AwsError, invalidParameter } from "../aws-error.js";
import type { CallContext, Handler } from "../module.js";
import { startRollback } from "./deployments.js";
import { addEvent, messages, subject } from "./events.js";
import { ecsState } from "./lookup.js";
import { beginRollback, ROLLBACK_REASONS } from "./native-controller.js";
import { reconcileService } from "./scheduler.js";
import type { ServiceDeploymentRecord } from "./service-model.js";
import { schedOf, type Sched } from "./world.js";

/**
 * ContinueServiceDeployment and StopServiceDeployment (native-strategies.md §1). Both act at the call's simulated
 * time and reconcile the service straight away, so what they set going is visible to the next describe.
 */
function requireRecord(s: Sched, arn: unknown): ServiceDeploymentRecord {
  if (typeof arn !== "string" || arn === "") throw invalidParameter("serviceDeploymentArn can not be blank.");
  const record = s.world.serviceDeployments.get(arn);
  if (!record) throw new AwsError("ServiceDeploymentNotFoundException", "The service deployment does not exist.");
  return record;
}

function continueServiceDeployment(input: ContinueServiceDeploymentRequest, ctx: CallContext): ContinueServiceDeploymentResponse {
  const s = schedOf(ecsState(ctx), ctx.sim);
  const record = requireRecord(s, input.serviceDeploymentArn);
  if (typeof input.hookId !== "string" || input.hookId === "") throw invalidParameter("hookId can not be blank.");
  // M: "If no value is specified, the default action is CONTINUE."
  const action = input.action ?? "CONTINUE";
  if (action !== "CONTINUE" && action !== "ROLLBACK") throw invalidParameter("action must be one of CONTINUE, ROLLBACK.");
  // D-continue: the deployment must be IN_PROGRESS and the hook in AWAITING_ACTION. The error code is not documented.
  if (record.status !== "IN_PROGRESS" || !record.native?.active) throw invalidParameter(`The service deployment is ${record.status}; only an IN_PROGRESS service deployment can be continued.`);
  const hook = record.native.hooks.find((h) => h.hookId === input.hookId);
  if (!hook) throw invalidParameter(`The lifecycle hook ${input.hookId} is not active in this service deployment.`);
  if (hook.status !== "AWAITING_ACTION") throw invalidParameter(`The lifecycle hook ${input.hookId} is ${hook.status}, not AWAITING_ACTION.`);
  const service = s.state.services.get(record.serviceArn);
  if (!service) throw new AwsError("ServiceDeploymentNotFoundException", "The service deployment does not exist.");
  if (action === "CONTINUE") {
    hook.status = "SUCCEEDED";
    record.updatedAt = ctx.now;
  } else {
    hook.status = "FAILED";
    beginRollback(service, record, ROLLBACK_REASONS.hook, "ROLLBACK_REQUESTED", ctx.now);
  }
  reconcileService(s, service, ctx.now);
  return { serviceDeploymentArn: record.arn };
}

/**
 * StopServiceDeployment: only ROLLBACK is documented ("The valid values are ROLLBACK"); ABORT is in the enum with no
 * documented effect, and what AWS does without a stopType is not documented either, so both are refused here.
 */
function stopServiceDeployment(input: StopServiceDeploymentRequest, ctx: CallContext): StopServiceDeploymentResponse {
  const s = schedOf(ecsState(ctx), ctx.sim);
  if (input.stopType !== "ROLLBACK") throw invalidParameter("stopType must be ROLLBACK.");
  const record = requireRecord(s, input.serviceDeploymentArn);
  // D-stop: a rollback already asked for, under way or a stop in progress keeps going.
  if (record.status === "ROLLBACK_REQUESTED" || record.status === "ROLLBACK_IN_PROGRESS" || record.status === "STOP_REQUESTED") return { serviceDeploymentArn: record.arn };
  const conflict = () => new AwsError("ConflictException", `The service deployment is ${record.status} and cannot be stopped.`);
  if (record.status !== "IN_PROGRESS" && record.status !== "PENDING") throw conflict();
  const service = s.state.services.get(record.serviceArn);
  if (!service) throw conflict();
  if (record.native?.active) {
    beginRollback(service, record, ROLLBACK_REASONS.user, "ROLLBACK_REQUESTED", ctx.now);
  } else {
    // A rolling deployment rolls back as the circuit breaker does: a new primary of the last completed revision.
    const failed = service.deployments.find((d) => d.id === record.deploymentId && d.status === "PRIMARY");
    const target = service.lastCompleted;
    if (!failed || !target || target.id === failed.id) throw conflict();
    startRollback(s, service, failed, target, ctx.now);
    failed.rolloutState = "FAILED";
    failed.rolloutStateReason = ROLLBACK_REASONS.user;
    addEvent(service, ctx.now, messages.rollingBack(subject(service), target.id));
    record.status = "ROLLBACK_IN_PROGRESS";
    record.statusReason = ROLLBACK_REASONS.user;
    record.rollback = { reason: ROLLBACK_REASONS.user, startedAt: ctx.now, serviceRevisionArn: target.revisionArn, deploymentId: target.id };
    record.updatedAt = ctx.now;
  }
  reconcileService(s, service, ctx.now);
  return { serviceDeploymentArn: record.arn };
}

export const nativeDeploymentOperations: Record<string, Handler> = {
  ContinueServiceDeployment: continueServiceDeployment,
  StopServiceDeployment: stopServiceDeployment,
};
