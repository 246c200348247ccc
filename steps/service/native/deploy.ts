import { noApprovals, type Approvals } from "../../../src/engine/approvals.js";
import type { DeploymentRecord } from "../../../src/engine/deployment-records.js";
import { executePlan, type ExecutionContext } from "../../../src/engine/executor.js";
import { succeededResult, type JournalEntry } from "../../../src/engine/journal.js";
import type { Plan } from "../../../src/engine/plan.js";
import { DeploymentFailedError } from "../../../src/errors.js";
import type { StepContext } from "../../step.js";
import type { ServiceRunOptions, ServiceStepOutput } from "../deploy.js";
import { settingsFor } from "../input.js";
import type { LoadedServiceStep } from "../load.js";
import { modeEnvironment } from "../mode-environment.js";
import { resolveDesired, taskDefinitionDiff } from "../resolve.js";
import type { AppliedService } from "../rolling/apply.js";
import { observe, revisionLabel } from "../state.js";
import { recordOnce } from "../task-sets/deploy.js";
import { applyNative } from "./apply.js";
import { gatherNativeFacts, type NativeFacts } from "./facts.js";
import { planNative, type NativeAction } from "./plan.js";
import { createNativePorts, type NativePorts } from "./ports.js";
import type { NativeSettings } from "./settings.js";
import { watchNative, type NativeOutcome, type NativeWatch } from "./watch.js";

/** What an ecs-* deployment takes beyond the service step's run options. */
export interface NativeRunOptions extends ServiceRunOptions {
  /** Where approval gates are opened and decided. Default: the context's, else none. */
  approvals?: Approvals;
  /** How often a waiting gate looks for a decision, in ms. Default 1000. */
  approvalPollMs?: number;
  /**
   * A rollback to a release that ran here before (`slipway rollback --env`): slipway's pauses are continued at once —
   * no probe or person stands between an incident and the version that worked. ECS's own shifts and bake still apply.
   */
  noGates?: boolean;
}

/** Watches the ECS deployment `attached` names to its end, through the rules and green group recorded with it. */
export function watchAttached(attached: Attached, rest: Omit<NativeWatch, "serviceDeploymentArn" | "rules" | "green">): Promise<NativeOutcome> {
  const rules = { production: attached.productionRule, ...(attached.testRule && { test: attached.testRule }) };
  return watchNative({ ...rest, serviceDeploymentArn: attached.serviceDeploymentArn, rules, green: attached.green });
}

/** Journalled once ECS's deployment is known: what a resumed run or an abort re-attaches to. */
export interface Attached {
  serviceDeploymentArn: string;
  /** The group the new revision serves from (production weights are shown as its share). */
  green: string;
  /** The group production traffic was on when the deployment started. */
  blue: string;
  /** What the service ran before: where an abort of a finished deployment returns it. */
  sourceTaskDefinitionArn?: string;
  taskDefinitionArn: string;
  productionRule: { arn: string; listenerArn: string; isDefault: boolean };
  testRule?: { arn: string; listenerArn: string; isDefault: boolean };
}

export const attachedKey = "attached";
/** The journal step of a service's writes, as the rolling planner names it. */
export const stepOf = (service: string) => `service:${service}`;

/** This deployment's service write as an earlier run journalled it, when it finished. */
export function earlierWrite(entries: JournalEntry[], step: string): AppliedService | undefined {
  const done = entries.find((e) => e.step === step && e.phase === "succeeded" && (e.actionKind === "create-service" || e.actionKind === "update-service"));
  return done?.result as AppliedService | undefined;
}

export function attachedOf(entries: JournalEntry[], service: string): Attached | undefined {
  const found = succeededResult(entries, stepOf(service), attachedKey);
  return found.found ? (found.result as Attached) : undefined;
}

export async function markAttached(execution: ExecutionContext, service: string, attached: Attached): Promise<void> {
  await executePlan({ step: stepOf(service), actions: [{ kind: "marker", key: attachedKey, summary: `watching ECS's deployment ${attached.serviceDeploymentArn}`, params: {} }], diff: [], notes: [] }, () => Promise.resolve(attached), execution);
}

/**
 * ECS's deployment of `taskDefinitionArn` the service is on now, when its target is that revision: what a run that
 * died between UpdateService and its journal entry (or one resumed after) watches. With it, the revision it deploys
 * from as ECS recorded it: the service already runs the new revision by then, and the dead run's write result (which
 * named the old one) was never journalled.
 */
async function currentDeploymentOf(ports: NativePorts, cluster: string, service: string, taskDefinitionArn: string): Promise<{ arn: string; source?: string } | undefined> {
  const described = await ports.services.describe(cluster, service);
  const arn = described?.currentServiceDeployment;
  if (!arn) return undefined;
  const record = await ports.history.describe([arn]);
  const deployment = record.offered ? record.value[0] : undefined;
  const target = deployment?.targetServiceRevision?.arn;
  if (!target) return undefined;
  const from = deployment.sourceServiceRevisions?.[0]?.arn;
  const revisions = await ports.history.revisions(from ? [target, from] : [target]);
  if (!revisions.offered) return undefined;
  const taskDefinitionOf = (revision: string) => revisions.value.find((r) => r.serviceRevisionArn === revision)?.taskDefinition;
  if (taskDefinitionOf(target) !== taskDefinitionArn) return undefined;
  const source = from ? taskDefinitionOf(from) : undefined;
  return { arn, ...(source !== undefined && { source }) };
}

export function nativeRecord(base: { deploymentId: string; kind: DeploymentRecord["kind"]; environment: string; cluster: string; service: string; mode: string; release?: string; startedAt: Date }, attached: Attached, outcome: NativeOutcome): DeploymentRecord {
  return {
    deploymentId: base.deploymentId,
    kind: base.kind,
    environment: base.environment,
    cluster: base.cluster,
    service: base.service,
    mode: base.mode,
    ...(base.release !== undefined && { release: base.release }),
    ecsDeploymentId: attached.serviceDeploymentArn,
    ...(attached.sourceTaskDefinitionArn !== undefined && { sourceTaskDefinition: attached.sourceTaskDefinitionArn }),
    targetTaskDefinition: attached.taskDefinitionArn,
    startedAt: base.startedAt.toISOString(),
    endedAt: outcome.endedAt.toISOString(),
    status: outcome.status,
    circuitBreaker: { enabled: false, rollback: false, tripped: false },
    failedTasks: 0,
    ...(outcome.status !== "SUCCESSFUL" && { reason: outcome.reason }),
  };
}

export const ruleRefs = (facts: NativeFacts, testRuleArn: string | undefined) => ({
  productionRule: { arn: facts.production.arn, listenerArn: facts.listenerArn, isDefault: facts.production.priority === "default" },
  ...(testRuleArn && { testRule: { arn: testRuleArn, listenerArn: facts.listenerArn, isDefault: false } }),
});

/**
 * A deployment with ECS's own blue/green, linear or canary strategy: reads the service and the listener, plans the
 * test rule and the service write (dry run stops here), makes them, then watches ECS's deployment to its end doing
 * slipway's part at each pause. Resumed with the same deployment id, it re-attaches to the same ECS deployment.
 * A deployment ECS rolled back ends in a DeploymentFailedError (exit 3).
 */
export async function deployNative(loaded: LoadedServiceStep, ctx: StepContext, options: NativeRunOptions = {}): Promise<{ plan: Plan; output?: ServiceStepOutput }> {
  const settings = settingsFor(loaded.raw, ctx.target.environment);
  const native = settings.native as NativeSettings;
  // The execution context, progress sink and watch pacing every mode runs with.
  const env = modeEnvironment(ctx, options, settings.waitTimeoutSeconds);
  const { execution, progress, watch } = env;
  const ports = createNativePorts(ctx.clients, env.ports);
  const cluster = ctx.target.cluster;

  const described = await ports.services.describe(cluster, settings.service);
  const current = described ? { ...observe(described), scaling: await ports.scaling.ofService(cluster, settings.service) } : undefined;
  const { desired, definition } = await resolveDesired(settings, ctx.target, ports, options);
  const facts = await gatherNativeFacts(ctx.target, settings.service, native, ports);
  // An EXTERNAL service runs its primary task set's revision.
  const running = current?.controller === "EXTERNAL" ? described?.taskSets?.find((t) => t.status === "PRIMARY")?.taskDefinition : current?.taskDefinitionArn;
  const planned = planNative({ current, described, desired, settings: native, facts, environment: ctx.target.environment, taskDefinitionDiff: await taskDefinitionDiff(ports, running, definition) });
  const entries = await ctx.journal.entries(ctx.deploymentId);
  let attached = attachedOf(entries, settings.service);
  // A deployment whose service write is done is only watched again: planned afresh, the service ECS has meanwhile
  // rolled back would look like one to update, and a second ECS deployment would start. Only the clean-up of test
  // rules no longer named may still be due.
  const resumed = attached ?? earlierWrite(entries, stepOf(settings.service));
  const plan: Plan<NativeAction> = resumed
    ? { step: planned.step, actions: planned.actions.filter((a) => a.kind === "delete-test-rule"), diff: [], notes: [`resuming: the service write is done; ECS's deployment${resumed.serviceDeploymentArn ? ` ${resumed.serviceDeploymentArn}` : ""} is watched again`] }
    : planned;
  options.onPlan?.(plan);
  if (ctx.dryRun) return { plan };

  const startedAt = ports.clock.now();
  if (attached) progress.note(`resuming: re-attaching to ECS's deployment ${attached.serviceDeploymentArn}`);
  const applied = await applyNative(plan, ports, execution, running);
  const output = (status: ServiceStepOutput["status"], changed: boolean, arn: string): ServiceStepOutput => ({ serviceArn: applied?.serviceArn ?? current?.arn ?? "", serviceName: settings.service, cluster, taskDefinitionArn: desired.taskDefinitionArn, ecsDeploymentId: arn, changed, status });

  if (!attached) {
    const after = await ctx.journal.entries(ctx.deploymentId);
    const earlier = earlierWrite(after, stepOf(settings.service));
    // A write this deployment started, in this run or one that died before journalling how it ended.
    const touched = after.some((e) => e.step === stepOf(settings.service) && (e.actionKind === "create-service" || e.actionKind === "update-service"));
    const written = applied?.serviceDeploymentArn ?? earlier?.serviceDeploymentArn;
    const found = written === undefined && touched ? await currentDeploymentOf(ports, cluster, settings.service, desired.taskDefinitionArn) : undefined;
    const arn = written ?? found?.arn;
    if (!arn) {
      // Nothing deployed: the revision already runs (a settings-only change, or nothing at all), or ECS keeps no record.
      progress.note(touched ? `${settings.service}: settings changed, no deployment started` : `${settings.service} already runs ${revisionLabel(desired.taskDefinitionArn)} as configured`);
      return { plan, output: output("SUCCESSFUL", plan.actions.length > 0, "") };
    }
    // Found in ECS (the write's result was lost with the run that made it): the source as ECS recorded it, else
    // the deployment would be taken for the service's first — an abort of it would leave the new revision running.
    const source = earlier?.sourceTaskDefinitionArn ?? (applied ? running : found?.source);
    // The test rule as ECS was given it, read back rather than taken from the plan: a run resumed after the rule was
    // created and the service written, but before this point, planned neither, and only ECS's service still says.
    const testRuleArn = (await ports.services.describe(cluster, settings.service))?.loadBalancers?.[0]?.advancedConfiguration?.testListenerRule;
    attached = {
      serviceDeploymentArn: arn,
      green: facts.live === facts.primary ? facts.alternate : facts.primary,
      blue: facts.live,
      ...(source !== undefined && source !== desired.taskDefinitionArn && { sourceTaskDefinitionArn: source }),
      taskDefinitionArn: desired.taskDefinitionArn,
      ...ruleRefs(facts, testRuleArn),
    };
    await markAttached(execution, settings.service, attached);
    progress.note(`ECS started deployment ${arn} (${native.strategy}) of ${revisionLabel(desired.taskDefinitionArn)}`);
  }

  const outcome = await watchAttached(attached, {
    service: settings.service,
    environment: ctx.target.environment,
    deploymentId: ctx.deploymentId,
    settings: native,
    ports,
    execution,
    progress,
    approvals: options.approvals ?? ctx.approvals ?? noApprovals,
    pacing: watch,
    ...(options.approvalPollMs !== undefined && { approvalPollMs: options.approvalPollMs }),
    ...(options.signal && { signal: options.signal }),
    ...(options.noGates && { noGates: true }),
  });
  await recordOnce(options.records, nativeRecord({ deploymentId: ctx.deploymentId, kind: "deploy", environment: ctx.target.environment, cluster, service: settings.service, mode: settings.mode, ...(ctx.release !== undefined && { release: ctx.release }), startedAt }, attached, outcome));
  if (outcome.status === "SUCCESSFUL") return { plan, output: output("SUCCESSFUL", true, attached.serviceDeploymentArn) };
  const back = attached.sourceTaskDefinitionArn ? `${settings.service} runs ${revisionLabel(attached.sourceTaskDefinitionArn)} again with all traffic.` : `This was ${settings.service}'s first deployment: nothing of it serves traffic.`;
  throw new DeploymentFailedError(
    `Deploying ${settings.service} to ${revisionLabel(desired.taskDefinitionArn)} with ECS's ${native.strategy} strategy ended ${outcome.status}${outcome.stage ? ` at ${outcome.stage}` : ""}: ${outcome.reason}`,
    outcome.status === "TIMED_OUT" ? "ECS's deployment goes on: `slipway resume <deployment>` watches it again, `slipway abort <deployment>` rolls it back." : outcome.status === "ROLLBACK_SUCCESSFUL" ? `${back} Fix the cause and deploy a new release.` : "Look at the service's events (slipway service history) and deploy again.",
  );
}
