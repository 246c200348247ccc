import type { ServiceDeployment } from "@aws-sdk/client-ecs";
import { awsErrorName } from "../../../src/aws/call.js";
import { noApprovals } from "../../../src/engine/approvals.js";
import { executePlan } from "../../../src/engine/executor.js";
import type { StepContext } from "../../step.js";
import type { AbortOutcome } from "../abort-outcome.js";
import { settingsFor } from "../input.js";
import type { LoadedServiceStep } from "../load.js";
import { modeEnvironment } from "../mode-environment.js";
import { revisionLabel } from "../state.js";
import { recordOnce } from "../task-sets/deploy.js";
import { attachedOf, nativeRecord, stepOf, watchAttached, type Attached, type NativeRunOptions } from "./deploy.js";
import { createNativePorts } from "./ports.js";
import type { NativeSettings } from "./settings.js";

/**
 * A person aborted the deployment: the service goes back to the revision it ran before, by ECS's own rollback
 * wherever the deployment stands. Paused at a hook: ContinueServiceDeployment ROLLBACK (what ECS asks for at a
 * pause); moving: StopServiceDeployment ROLLBACK; finished (a later step of the run was aborted): a new deployment of
 * the earlier revision, its pauses continued at once. Read from the journal, so it serves a deployment running now,
 * one whose slipway was killed, and an abort that was itself interrupted.
 */
export async function abortNative(loaded: LoadedServiceStep, ctx: StepContext, options: NativeRunOptions, reason: string): Promise<AbortOutcome> {
  const settings = settingsFor(loaded.raw, ctx.target.environment);
  const native = settings.native as NativeSettings;
  const service = settings.service;
  const attached = attachedOf(await ctx.journal.entries(ctx.deploymentId), service);
  if (!attached) return { service, touched: false, summary: `${service}: this deployment had not started an ECS deployment` };
  // The execution context, progress sink and watch pacing every mode runs with.
  const env = modeEnvironment(ctx, options, settings.waitTimeoutSeconds);
  const { execution, progress, watch } = env;
  const ports = createNativePorts(ctx.clients, env.ports);
  const startedAt = ports.clock.now();
  const once = (key: string, summary: string, run: () => Promise<unknown>) => executePlan({ step: stepOf(service), actions: [{ kind: "abort", key, summary, params: {} }], diff: [], notes: [] }, run, execution);

  const described = await ports.history.describe([attached.serviceDeploymentArn]);
  const record: ServiceDeployment | undefined = described.offered ? described.value[0] : undefined;
  let watched: Attached = attached;
  const status = record?.status ?? "";
  if (status === "ROLLBACK_SUCCESSFUL" || status === "ROLLBACK_IN_PROGRESS" || status === "ROLLBACK_REQUESTED") {
    progress.note(`${reason}; ECS is already rolling ${service} back`);
  } else if (status === "IN_PROGRESS" || status === "PENDING") {
    const paused = record?.lifecycleHookDetails?.find((h) => h.targetType === "PAUSE" && h.status === "AWAITING_ACTION");
    progress.note(`${reason}; rolling ${service} back ${paused ? `at ${record?.lifecycleStage ?? "?"} (ContinueServiceDeployment ROLLBACK)` : "(StopServiceDeployment ROLLBACK)"}`);
    try {
      if (paused?.hookId) await once(`abort at hook ${paused.hookId}`, `roll back at ${record?.lifecycleStage ?? "?"}: ${reason}`, () => ports.control.decideHook(attached.serviceDeploymentArn, paused.hookId ?? "", "ROLLBACK"));
      else await once(`abort ${attached.serviceDeploymentArn}`, `roll back ECS's deployment: ${reason}`, () => ports.control.rollBack(attached.serviceDeploymentArn));
    } catch (error) {
      // ECS moved on in between (the hook was decided, the deployment ended): the watch below reads where it went.
      if (!/InvalidParameter|Conflict/.test(awsErrorName(error) ?? "")) throw error;
      progress.note(`ECS refused the rollback request (${awsErrorName(error) ?? "?"}): it had moved on; watching where it went`);
    }
  } else if (status === "SUCCESSFUL") {
    const to = attached.sourceTaskDefinitionArn;
    if (!to) return { service, touched: true, summary: `${service}: this deployment created it, so there is no earlier revision to return to; it is left running` };
    progress.note(`${reason}; ECS's deployment had finished, so ${service} is deployed back to ${revisionLabel(to)} (its pauses continued at once)`);
    const [applied] = await once(`return to ${to}`, `deploy ${service} back to ${revisionLabel(to)}`, async () => {
      const updated = await ports.services.update({ cluster: ctx.target.cluster, service, taskDefinition: to });
      return { serviceDeploymentArn: updated.currentServiceDeployment ?? "" };
    });
    const arn = (applied?.result as { serviceDeploymentArn?: string } | undefined)?.serviceDeploymentArn;
    if (!arn) return { service, touched: true, summary: `${service}: deployed back to ${revisionLabel(to)}; ECS named no deployment to watch` };
    // The old revision comes back on the group it left: the deployment's blue.
    watched = { ...attached, serviceDeploymentArn: arn, green: attached.blue, blue: attached.green, taskDefinitionArn: to, sourceTaskDefinitionArn: attached.taskDefinitionArn };
  } else {
    return { service, touched: true, summary: `${service}: ECS's deployment is ${status || "gone"}; nothing to roll back` };
  }
  const outcome = await watchAttached(watched, {
    service,
    environment: ctx.target.environment,
    deploymentId: ctx.deploymentId,
    settings: native,
    ports,
    execution,
    progress,
    approvals: noApprovals,
    pacing: watch,
    noGates: true,
    ...(options.signal && { signal: options.signal }),
  });
  await recordOnce(options.records, nativeRecord({ deploymentId: ctx.deploymentId, kind: "deploy", environment: ctx.target.environment, cluster: ctx.target.cluster, service, mode: settings.mode, ...(ctx.release !== undefined && { release: ctx.release }), startedAt }, attached, outcome.status === "SUCCESSFUL" && watched !== attached ? { ...outcome, status: "ROLLBACK_SUCCESSFUL", reason } : outcome));
  const back = attached.sourceTaskDefinitionArn ? revisionLabel(attached.sourceTaskDefinitionArn) : "nothing (its first deployment)";
  return { service, touched: true, summary: `${service} back on ${back} (ECS ${outcome.status})` };
}
