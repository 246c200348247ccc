import type { JournalEntry } from "../../../src/engine/journal.js";
import type { StepContext } from "../../step.js";
import type { AbortOutcome } from "../abort-outcome.js";
import type { ServiceRunOptions } from "../deploy.js";
import { finishRollout } from "../finish.js";
import { settingsFor } from "../input.js";
import type { LoadedServiceStep } from "../load.js";
import { modeEnvironment } from "../mode-environment.js";
import { previousRevision } from "../previous-revision.js";
import { observe, revisionLabel } from "../state.js";
import type { AppliedService } from "./apply.js";
import { rollingMode } from "./index.js";

/** The deployment's own write to the service — the first create or update it journalled, finished or not. */
function deploymentWrite(entries: JournalEntry[], step: string): { kind: string; applied?: AppliedService } | undefined {
  const first = entries.find((e) => e.step === step && (e.actionKind === "create-service" || e.actionKind === "update-service"));
  if (!first) return undefined;
  const done = entries.find((e) => e.step === step && e.actionKey === first.actionKey && e.phase === "succeeded");
  return { kind: first.actionKind, ...(done && { applied: done.result as AppliedService }) };
}

/**
 * A person aborted the deployment: the service returns to the revision it ran before this deployment's write —
 * one update, watched to steady like any rollback (ECS moves traffic as it replaces tasks). Nothing is written when
 * the deployment never wrote, when ECS's circuit breaker already put the service back, or for a service this
 * deployment created (there is nothing earlier to return to; that is said instead).
 */
export async function abortRolling(loaded: LoadedServiceStep, ctx: StepContext, options: ServiceRunOptions, reason: string): Promise<AbortOutcome> {
  const settings = settingsFor(loaded.raw, ctx.target.environment);
  const service = settings.service;
  const write = deploymentWrite(await ctx.journal.entries(ctx.deploymentId), `service:${service}`);
  if (!write) return { service, touched: false, summary: `${service}: this deployment had not changed it` };
  if (write.kind === "create-service") return { service, touched: true, summary: `${service}: this deployment created it, so there is no earlier revision to return to; it is left running` };
  const env = modeEnvironment(ctx, options, settings.waitTimeoutSeconds);
  const described = await env.ports.services.describe(ctx.target.cluster, service);
  if (!described) return { service, touched: false, summary: `${service}: gone from ${ctx.target.cluster}; nothing to return` };
  const current = observe(described);
  const to = write.applied?.sourceTaskDefinitionArn ?? (await previousRevision(current, env.ports, options.records, ctx.target.environment)).taskDefinitionArn;
  // ECS's circuit breaker got there first: the service already runs it (and ECS finishes its own rollback).
  if (current.taskDefinitionArn === to) return { service, touched: true, summary: `${service} back on ${revisionLabel(to)} (ECS's circuit breaker had rolled it back)` };
  env.progress.note(`${reason}; rolling ${service} back to ${revisionLabel(to)}`);
  const rollout = await rollingMode.rollback(current, to, env);
  await finishRollout(rollout, { mode: rollingMode, env, kind: "rollback", environment: ctx.target.environment, ...(options.records && { records: options.records }), ...(ctx.release !== undefined && { release: ctx.release }) });
  return { service, touched: true, summary: `${service} back on ${revisionLabel(to)}` };
}
