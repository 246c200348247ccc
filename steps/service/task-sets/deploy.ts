import { noApprovals, type Approvals } from "../../../src/engine/approvals.js";
import type { DeploymentRecord, DeploymentRecords } from "../../../src/engine/deployment-records.js";
import { executePlan } from "../../../src/engine/executor.js";
import { succeededResult } from "../../../src/engine/journal.js";
import type { Plan } from "../../../src/engine/plan.js";
import { Interrupted } from "../../../src/engine/interruption.js";
import { DeploymentFailedError } from "../../../src/errors.js";
import type { StepContext } from "../../step.js";
import type { ServiceRunOptions, ServiceStepOutput } from "../deploy.js";
import { defaultPacing } from "../mode-environment.js";
import { settingsFor, type ServiceSettings } from "../input.js";
import type { LoadedServiceStep } from "../load.js";
import { silentProgress } from "../progress.js";
import { resolveDesired, taskDefinitionDiff } from "../resolve.js";
import { showValue } from "../definition-diff.js";
import { revisionLabel } from "../state.js";
import type { TaskSetAction } from "./actions.js";
import { applyAction } from "./apply.js";
import { refuseOtherRun, stepOf, type DeploymentFacts } from "./facts.js";
import { gatherFacts } from "./gather.js";
import { interruptedError } from "./interrupted.js";
import { JournalledDriver, type WaitTiming } from "./journalled-driver.js";
import { markers, preflight, stagesFor, walk, type MachineOutcome } from "./machine.js";
import { outlinePlan } from "./outline.js";
import { planService } from "./plan.js";
import { createTaskSetPorts } from "./ports.js";
import { refuseServiceForTaskSets } from "./refuse.js";
import { type RawStage, type Strategy } from "./stages.js";
import { hasShare } from "./weights.js";
import { observeWorld, primaryOf, type World } from "./world.js";

/** What a task-set deployment takes beyond the service step's run options; every field has a default. */
export interface TaskSetRunOptions extends ServiceRunOptions {
  /** Where approval gates are opened and decided. Default: none — an approval stage is then an error. */
  approvals?: Approvals;
  /** How often a waiting gate looks for a decision, in ms. Default 1000. */
  approvalPollMs?: number;
  /** Accumulates the time spent waiting (ECS, pauses, people): bench/canary.ts reports the rest as slipway's own. */
  timing?: WaitTiming;
  /** Stages to walk instead of the step's (a rollback's: stages.ts rollbackStages). */
  stages?: RawStage[];
  /** TEST ONLY (moto): stabilisation waits return at once. See StabilityPacing.skipStabilityWaits; never against AWS. */
  skipStabilityWaits?: boolean;
}

/** The plan when the revision already runs alone with all traffic: the service's own settings and tags, if they differ. */
function settingsPlan(world: World, facts: DeploymentFacts): Plan<TaskSetAction> {
  const actions = planService(world, facts);
  const running = `${facts.service} already runs ${revisionLabel(facts.newTaskDefinition)} alone with all traffic`;
  const diff = Object.entries(facts.serviceChanges ?? {}).map(([field, value]) => `${field} → ${showValue(value)}`);
  return { step: stepOf(facts.service), actions, diff, notes: [actions.length > 0 ? `${running}: only the service's own settings change (no new task set)` : `${running}: nothing to change`] };
}

/** Nothing to do: the revision already runs alone, steady, with all traffic, at the desired count. */
function alreadyDeployed(world: World, facts: DeploymentFacts): boolean {
  const primary = primaryOf(world);
  return (
    world.taskSets.length === 1 &&
    primary?.taskDefinition === facts.newTaskDefinition &&
    facts.taskSetChanges === undefined &&
    (facts.countManagedBy !== undefined || world.service?.desiredCount === facts.desiredCount) &&
    facts.rules.every((r) => !world.actions[r.arn] || hasShare(world.actions[r.arn] ?? [], facts.targetGroups, 0))
  );
}

export function record(facts: DeploymentFacts, outcome: MachineOutcome | { status: "ROLLBACK_FAILED"; reason: string }, world: World, endedAt: Date): DeploymentRecord {
  const primary = primaryOf(world);
  return {
    deploymentId: facts.deploymentId,
    kind: "deploy",
    environment: facts.environment,
    cluster: facts.cluster,
    service: facts.service,
    mode: facts.strategy,
    ...(facts.release !== undefined && { release: facts.release }),
    ...(primary && { ecsDeploymentId: primary.id }),
    ...(facts.previous && { sourceTaskDefinition: facts.previous.taskDefinition }),
    targetTaskDefinition: facts.newTaskDefinition,
    startedAt: facts.startedAt,
    endedAt: endedAt.toISOString(),
    status: outcome.status,
    circuitBreaker: { enabled: false, rollback: false, tripped: false },
    failedTasks: 0,
    ...("reason" in outcome && { reason: outcome.reason }),
  };
}

/** A finished deployment resumed ends the same way again: its outcome is recorded once, not once per run. */
export async function recordOnce(records: DeploymentRecords | undefined, entry: DeploymentRecord): Promise<void> {
  if (!records) return;
  const known = await records.list(entry);
  if (known.some((r) => r.deploymentId === entry.deploymentId && r.status === entry.status)) return;
  await records.append(entry);
}

/** The driver a deployment (or its abort) walks with: journalled in the context's journal, paced by the options. */
export function driverFor(facts: DeploymentFacts, ctx: StepContext, options: TaskSetRunOptions, settings: Pick<ServiceSettings, "waitTimeoutSeconds" | "trafficSettleSeconds">): JournalledDriver {
  return new JournalledDriver({
    facts,
    ports: createTaskSetPorts(ctx.clients, options.ports),
    execution: { deploymentId: ctx.deploymentId, journal: ctx.journal, ...(ctx.onProgress && { onProgress: ctx.onProgress }) },
    progress: options.progress ?? silentProgress,
    pacing: { ...defaultPacing, ...options.pacing, timeoutSeconds: settings.waitTimeoutSeconds, ...(options.skipStabilityWaits && { skipStabilityWaits: true }), ...(options.signal && { signal: options.signal }) },
    approvals: options.approvals ?? ctx.approvals ?? noApprovals,
    settleSeconds: settings.trafficSettleSeconds,
    ...(options.approvalPollMs !== undefined && { approvalPollMs: options.approvalPollMs }),
    ...(options.timing && { timing: options.timing }),
    ...(options.signal && { signal: options.signal }),
  });
}

/**
 * A canary or blue/green deployment of an EXTERNAL service: gathers the facts (or reads them from the journal when
 * resuming), shows the whole plan — every stage's writes, planned against the world as the stages before would
 * leave it — then walks the stages, rolling back on any failure. A rollback ends in a DeploymentFailedError (exit 3).
 */
export async function deployWithTaskSets(loaded: LoadedServiceStep, ctx: StepContext, options: TaskSetRunOptions = {}): Promise<{ plan: Plan; output?: ServiceStepOutput }> {
  const settings = settingsFor(loaded.raw, ctx.target.environment);
  const strategy = settings.mode as Strategy;
  const ports = createTaskSetPorts(ctx.clients, options.ports);
  const progress = options.progress ?? silentProgress;

  const recorded = succeededResult(await ctx.journal.entries(ctx.deploymentId), stepOf(settings.service), markers.facts);
  const described = await ports.services.describe(ctx.target.cluster, settings.service);
  let facts = recorded.result as DeploymentFacts | undefined;
  if (facts) refuseOtherRun(facts, { environment: ctx.target.environment, ...(ctx.release !== undefined && { release: ctx.release }), ...(options.override !== undefined && { override: options.override }) });
  let diff: string[] = [];
  if (!facts) {
    if (described) refuseServiceForTaskSets(described, strategy);
    const { desired, definition } = await resolveDesired(settings, ctx.target, ports, options);
    facts = await gatherFacts({ deploymentId: ctx.deploymentId, ...(ctx.release !== undefined && { release: ctx.release }), strategy, settings, target: ctx.target, newTaskDefinition: desired.taskDefinitionArn, service: described }, ports, ports.clock.now());
    diff = await taskDefinitionDiff(ports, facts.previous?.taskDefinition, definition);
  }
  const stages = stagesFor(facts, options.stages ?? settings.stages);
  const world = observeWorld(described, await ports.weights.actionsOf(facts.rules));
  // The revision already runs alone with all traffic: at most the service's own settings and tags change.
  const inPlace = !recorded.found && alreadyDeployed(world, facts);
  const plan = inPlace ? settingsPlan(world, facts) : await outlinePlan(world, facts, stages, diff, recorded.found, settings.trafficSettleSeconds);
  options.onPlan?.(plan);
  const output = (w: World, changed: boolean, status: ServiceStepOutput["status"]): ServiceStepOutput => ({
    serviceArn: w.service?.arn ?? "",
    serviceName: facts.service,
    cluster: facts.cluster,
    taskDefinitionArn: primaryOf(w)?.taskDefinition ?? facts.newTaskDefinition,
    ecsDeploymentId: primaryOf(w)?.id ?? "",
    changed,
    status,
  });
  if (ctx.dryRun) return { plan };
  if (inPlace) {
    await executePlan(plan as Plan<TaskSetAction>, (action) => applyAction(action, facts, ports), { deploymentId: ctx.deploymentId, journal: ctx.journal, ...(ctx.onProgress && { onProgress: ctx.onProgress }) });
    return { plan, output: output(world, plan.actions.length > 0, "SUCCESSFUL") };
  }

  const driver = driverFor(facts, ctx, options, settings);
  let outcome: MachineOutcome;
  try {
    if (!recorded.found) await driver.mark(markers.facts, `gathered: ${facts.rules.length} rule(s) routing to the service, ${facts.previous ? `returning to ${revisionLabel(facts.previous.taskDefinition)} on failure` : "first deployment"}`, facts);
    else progress.note(`resuming deployment ${facts.deploymentId} of ${revisionLabel(facts.newTaskDefinition)} from its journal`);
    await preflight(driver, facts);
    outcome = await walk(driver, facts, stages);
  } catch (error) {
    // Stopped by a person: nothing is recorded as ended — the deployment goes on with `slipway resume`.
    if (error instanceof Interrupted) throw interruptedError(error, facts, await driver.observe());
    if (error instanceof DeploymentFailedError) await recordOnce(options.records, record(facts, { status: "ROLLBACK_FAILED", reason: error.message }, await driver.observe(), ports.clock.now()));
    throw error;
  }
  const after = await driver.observe();
  await recordOnce(options.records, record(facts, outcome, after, ports.clock.now()));
  if (outcome.status === "ROLLBACK_SUCCESSFUL") {
    throw new DeploymentFailedError(
      `Deploying ${facts.service} to ${revisionLabel(facts.newTaskDefinition)} failed and was rolled back (ROLLBACK_SUCCESSFUL): ${outcome.reason}.`,
      facts.previous
        ? `${facts.service} runs ${revisionLabel(facts.previous.taskDefinition)} again, with all traffic. Fix the cause and deploy a new release.`
        : `This was ${facts.service}'s first deployment: nothing of it is left running. Fix the cause and deploy again.`,
    );
  }
  return { plan, output: output(after, true, "SUCCESSFUL") };
}
