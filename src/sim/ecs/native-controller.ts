import { randomBytes } from "node:crypto";
import { addEvent, messages, subject } from "./events.js";
import type { DeploymentRecord, HookRun, LifecycleStage, NativeRun, NativeStrategy, RuleForwards, ServiceDeploymentRecord, ServiceRecord, TaskRecord } from "./service-model.js";
import { CANARY_DEFAULTS, DEFAULT_BAKE_MINUTES, LINEAR_DEFAULTS } from "./native-settings.js";
import { beginStop, isHealthy, isLive, launchTask, stopCauses } from "./task-lifecycle.js";
import type { Sched } from "./world.js";

/**
 * ECS's own BLUE_GREEN, LINEAR and CANARY deployments (native-strategies.md has the AWS facts and their sources).
 * A deployment walks the lifecycle stages in order on simulated time: green (the target revision) is scaled up in
 * the target group blue does not use, the test listener rule is pointed at green, then the production rule's weights
 * move to green (all at once, by linear steps, or canary then the rest, with the step bakes between), the bake time
 * runs, and blue is scaled in. Pause hooks hold a stage until ContinueServiceDeployment or their timeout. A rollback
 * puts the test and production rules back as they were when the deployment began (on blue) and scales green in.
 * Every change is made at the instant it is due (the timeline carries the waits), so a clock jump leaves the history
 * it would have had.
 */
export const NATIVE_PACE = {
  /** How long a stage with nothing to wait for lasts (AWS gives no figure; long enough to be seen). */
  stageSeconds: 5,
  /** How long ECS takes to move a listener rule's weights (TEST_TRAFFIC_SHIFT, each PRODUCTION_TRAFFIC_SHIFT step). */
  trafficShiftSeconds: 5,
} as const;

const ORDER: LifecycleStage[] = [
  "RECONCILE_SERVICE",
  "PRE_SCALE_UP",
  "SCALE_UP",
  "POST_SCALE_UP",
  "TEST_TRAFFIC_SHIFT",
  "POST_TEST_TRAFFIC_SHIFT",
  "PRE_PRODUCTION_TRAFFIC_SHIFT",
  "PRODUCTION_TRAFFIC_SHIFT",
  "POST_PRODUCTION_TRAFFIC_SHIFT",
  "BAKE_TIME",
  "CLEAN_UP",
];
const reached = (run: NativeRun, stage: LifecycleStage) => ORDER.indexOf(run.stage) >= ORDER.indexOf(stage);
const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

export const ROLLBACK_REASONS = {
  user: "Service deployment rolled back because of a user request.",
  hook: "Service deployment rolled back because a lifecycle hook requested a rollback.",
  timeout: "Service deployment rolled back because a lifecycle hook timed out.",
};

/**
 * Sets a new native deployment going. Green goes into the target group blue is not registered in: the alternate one
 * when blue runs on the primary, the primary otherwise (a first deployment, or blue on the alternate after an earlier
 * swap). The deployment's own loadBalancers name that group, so its tasks register there; the service and the
 * revision keep the loadBalancers as given, and DescribeServiceRevisions' resolvedConfiguration shows the group used.
 */
export function startNative(s: Sched, service: ServiceRecord, record: ServiceDeploymentRecord, green: DeploymentRecord, at: Date): void {
  const strategy = record.deploymentConfiguration.strategy as NativeStrategy;
  const blueIds = record.sources.map((x) => x.deploymentId).filter((id) => id !== green.id);
  const blue = service.deployments.find((d) => blueIds.includes(d.id));
  const lb = green.loadBalancers[0];
  const advanced = lb?.advancedConfiguration;
  const blueTg = blue?.loadBalancers[0]?.targetGroupArn;
  const pair = lb?.targetGroupArn && advanced?.alternateTargetGroupArn ? [lb.targetGroupArn, advanced.alternateTargetGroupArn] : undefined;
  const greenTg = pair ? (blueTg === pair[0] ? pair[1] : pair[0]) : lb?.targetGroupArn;
  // Blue's side of the rules is the other group of the pair, even when no blue task runs yet (a first deployment).
  const blueSide = pair?.find((g) => g !== greenTg);
  if (lb && greenTg) lb.targetGroupArn = greenTg;
  green.desiredCount = 0;
  const productionRule = advanced?.productionListenerRule ? s.sim.elbv2.listenerRule(s.state.region, advanced.productionListenerRule) : undefined;
  const testRule = advanced?.testListenerRule ? s.sim.elbv2.listenerRule(s.state.region, advanced.testListenerRule) : undefined;
  const run: NativeRun = {
    strategy,
    stage: "PRE_SCALE_UP",
    stageStartedAt: at,
    history: [],
    step: 0,
    productionWeight: 0,
    testWeight: 0,
    blueDeploymentIds: blueIds,
    ...(blueSide && { blueTargetGroupArn: blueSide }),
    ...(greenTg && { greenTargetGroupArn: greenTg }),
    ...(productionRule && { productionRuleArn: productionRule.ruleArn }),
    ...(testRule && { testRuleArn: testRule.ruleArn }),
    // What a rollback restores: the rules' forward targets and weights as they are now, before anything moves.
    ...(productionRule?.forwards && { productionForwardsAtStart: structuredClone(productionRule.forwards) }),
    ...(testRule?.forwards && { testForwardsAtStart: structuredClone(testRule.forwards) }),
    hooks: [],
    rollingBack: false,
    epoch: 0,
    active: true,
  };
  record.native = run;
  // M: RECONCILE_SERVICE "only happens when you start a new service deployment with more than 1 service revision in an ACTIVE state".
  const activeRevisions = new Set(record.sources.map((x) => x.revisionArn));
  enterStage(s, service, record, activeRevisions.size > 1 ? "RECONCILE_SERVICE" : "PRE_SCALE_UP", at);
}

function enterStage(s: Sched, service: ServiceRecord, record: ServiceDeploymentRecord, stage: LifecycleStage, at: Date): void {
  const run = record.native as NativeRun;
  run.stage = stage;
  run.stageStartedAt = at;
  run.history.push({ stage, at });
  run.hooks = hooksAt(record, stage, at);
  record.updatedAt = at;
  const green = service.deployments.find((d) => d.id === record.deploymentId);
  switch (stage) {
    case "SCALE_UP":
      if (green) green.desiredCount = desiredOf(service);
      return;
    case "TEST_TRAFFIC_SHIFT":
      run.testWeight = 100;
      if (run.testRuleArn) shiftRule(s, run, run.testRuleArn, 100, at);
      return;
    case "PRODUCTION_TRAFFIC_SHIFT":
      run.step += 1;
      run.productionWeight = weightAtStep(record, run.step);
      if (run.productionRuleArn) shiftRule(s, run, run.productionRuleArn, run.productionWeight, at);
      return;
    case "CLEAN_UP": {
      const victims = tasksOf(s, service, run.blueDeploymentIds).filter(isLive);
      stopAll(s, service, victims, record.deploymentId, at);
      for (const d of service.deployments) if (run.blueDeploymentIds.includes(d.id)) d.desiredCount = 0;
      return;
    }
    default:
      return;
  }
}

/** The hooks configured at `stage`, invoked now: each gets a new id (every invocation does, D-pause). */
function hooksAt(record: ServiceDeploymentRecord, stage: LifecycleStage, at: Date): HookRun[] {
  return (record.deploymentConfiguration.lifecycleHooks ?? [])
    .filter((h) => (h.lifecycleStages ?? []).includes(stage as never))
    .map((h): HookRun => {
      const pause = h.targetType === "PAUSE";
      return {
        hookId: `ecs-${pause ? "pause" : "lambda"}-${randomBytes(12).toString("base64url")}`,
        targetType: pause ? "PAUSE" : "AWS_LAMBDA",
        ...(!pause && h.hookTargetArn && { targetArn: h.hookTargetArn }),
        // No Lambda runs in the simulator: a Lambda hook answers SUCCEEDED at once (see native-strategies.md).
        status: pause ? "AWAITING_ACTION" : "SUCCEEDED",
        expiresAt: later(at, (h.timeoutConfiguration?.timeoutInMinutes ?? 1440) * 60),
        timeoutAction: h.timeoutConfiguration?.action ?? "ROLLBACK",
      };
    });
}

/** Green's share of production traffic after production shift `step`. */
export function weightAtStep(record: ServiceDeploymentRecord, step: number): number {
  const config = record.deploymentConfiguration;
  const tenth = (n: number) => Math.min(100, Math.round(n * 10) / 10);
  switch (config.strategy) {
    case "LINEAR":
      // [INFERENCE] the last step is capped at 100 when 100 is not a multiple of stepPercent (AWS does not say).
      return tenth(step * (config.linearConfiguration?.stepPercent ?? LINEAR_DEFAULTS.stepPercent));
    case "CANARY":
      return step === 1 ? tenth(config.canaryConfiguration?.canaryPercent ?? CANARY_DEFAULTS.canaryPercent) : 100;
    default:
      return 100;
  }
}

/** The wait after a production shift that did not reach 100 % (not applied after 100 %, D-linear). */
function stepBakeSeconds(record: ServiceDeploymentRecord, weight: number): number {
  if (weight >= 100) return 0;
  const config = record.deploymentConfiguration;
  if (config.strategy === "LINEAR") return (config.linearConfiguration?.stepBakeTimeInMinutes ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes) * 60;
  if (config.strategy === "CANARY") return (config.canaryConfiguration?.canaryBakeTimeInMinutes ?? CANARY_DEFAULTS.canaryBakeTimeInMinutes) * 60;
  return 0;
}

/**
 * ALB weights for green's percent: whole percents as they are (10/90); tenths as tenths of a mille reduced, since an
 * ALB weight is an integer of at most 999 (3.3 % → 33/967). [UNKNOWN] how ECS writes them; the shares are what count.
 * Both groups stay in the forward action (weight 0 for the idle one), so each stays associated with the rule.
 */
function albWeights(greenPercent: number): [green: number, blue: number] {
  if (Number.isInteger(greenPercent)) return [greenPercent, 100 - greenPercent];
  const g = Math.round(greenPercent * 10);
  const b = 1000 - g;
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  const d = gcd(g, b);
  return [g / d, b / d];
}

function shiftRule(s: Sched, run: NativeRun, ruleArn: string, greenPercent: number, at: Date): void {
  if (!run.greenTargetGroupArn) return;
  const [green, blue] = albWeights(greenPercent);
  const weights = [{ targetGroupArn: run.greenTargetGroupArn, weight: green }];
  if (run.blueTargetGroupArn) weights.unshift({ targetGroupArn: run.blueTargetGroupArn, weight: blue });
  s.sim.elbv2.setForwardWeights(s.state.region, ruleArn, weights, at);
}

/** Puts a rule's forward targets and weights back as recorded; without a record, all of it on blue. */
function restoreRule(s: Sched, run: NativeRun, ruleArn: string, recorded: RuleForwards | undefined, at: Date): void {
  if (recorded) s.sim.elbv2.setForwardWeights(s.state.region, ruleArn, structuredClone(recorded), at);
  else shiftRule(s, run, ruleArn, 0, at);
}

const desiredOf = (service: ServiceRecord) => (service.status === "ACTIVE" ? service.desiredCount : 0);

function tasksOf(s: Sched, service: ServiceRecord, deploymentIds: string[]): TaskRecord[] {
  return [...s.world.tasksOf(service.arn)].filter((t) => deploymentIds.includes(t.startedBy));
}

function stopAll(s: Sched, service: ServiceRecord, victims: TaskRecord[], by: string, at: Date): void {
  if (victims.length === 0) return;
  for (const task of victims) beginStop(s, service, task, at, stopCauses.deployment(by));
  addEvent(service, at, messages.stopped(subject(service), victims.map((t) => t.id)));
  service.steady = false;
}

/** Keeps `deployment` at `count` live tasks: starts what is missing, stops the least useful excess. */
function keepAt(s: Sched, service: ServiceRecord, deployment: DeploymentRecord, count: number, at: Date): void {
  const live = tasksOf(s, service, [deployment.id]).filter(isLive);
  if (live.length > count) {
    const victims = [...live].sort((a, b) => Number(isHealthy(a)) - Number(isHealthy(b)) || b.createdAt.getTime() - a.createdAt.getTime()).slice(0, live.length - count);
    stopAll(s, service, victims, deployment.id, at);
  } else if (live.length < count) {
    const started: TaskRecord[] = [];
    for (let i = live.length; i < count; i++) started.push(launchTask(s, service, { kind: "deployment", id: deployment.id }, deployment, at));
    addEvent(service, at, messages.started(subject(service), started.map((t) => t.id)));
    service.steady = false;
  }
}

/** The native controller's reconcile pass at `at` for a service whose primary deployment is a native one. */
export function reconcileNative(s: Sched, service: ServiceRecord, record: ServiceDeploymentRecord, at: Date): void {
  const run = record.native as NativeRun;
  for (let guard = 0; guard < 200 && run.active; guard++) {
    const green = service.deployments.find((d) => d.id === record.deploymentId);
    if (!green) {
      run.active = false;
      return;
    }
    if (run.rollingBack) {
      if (!rollbackStep(s, service, record, green, at)) return;
      continue;
    }
    if (reached(run, "SCALE_UP") && run.stage !== "CLEAN_UP") {
      green.desiredCount = desiredOf(service);
      keepAt(s, service, green, green.desiredCount, at);
    }
    if (timeoutHooks(s, service, record, at)) continue;
    const wait = stageWait(s, service, record, green, at);
    if (wait !== "done") {
      const next = Math.min(wait === "blocked" ? Infinity : wait.getTime(), ...run.hooks.filter((h) => h.status === "AWAITING_ACTION").map((h) => h.expiresAt.getTime()));
      if (Number.isFinite(next) && next > at.getTime()) wake(s, record, new Date(next));
      return;
    }
    if (run.stage === "CLEAN_UP") {
      finish(s, service, record, green, at);
      return;
    }
    enterStage(s, service, record, nextStage(record), at);
  }
}

function nextStage(record: ServiceDeploymentRecord): LifecycleStage {
  const run = record.native as NativeRun;
  if (run.stage === "PRODUCTION_TRAFFIC_SHIFT") return run.productionWeight < 100 ? "PRE_PRODUCTION_TRAFFIC_SHIFT" : "POST_PRODUCTION_TRAFFIC_SHIFT";
  return ORDER[ORDER.indexOf(run.stage) + 1] as LifecycleStage;
}

/** When the current stage may end: "done", a moment to wake at, or "blocked" on tasks or on a person. */
function stageWait(s: Sched, service: ServiceRecord, record: ServiceDeploymentRecord, green: DeploymentRecord, at: Date): "done" | "blocked" | Date {
  const run = record.native as NativeRun;
  const hooksOpen = run.hooks.some((h) => h.status === "AWAITING_ACTION");
  let until: Date;
  switch (run.stage) {
    case "SCALE_UP": {
      const live = tasksOf(s, service, [green.id]).filter(isLive);
      if (live.length !== green.desiredCount || !live.every(isHealthy)) return "blocked";
      until = at;
      break;
    }
    case "TEST_TRAFFIC_SHIFT":
      until = later(run.stageStartedAt, NATIVE_PACE.trafficShiftSeconds);
      break;
    case "PRODUCTION_TRAFFIC_SHIFT":
      until = later(run.stageStartedAt, NATIVE_PACE.trafficShiftSeconds + stepBakeSeconds(record, run.productionWeight));
      break;
    case "BAKE_TIME":
      until = later(run.stageStartedAt, (record.deploymentConfiguration.bakeTimeInMinutes ?? DEFAULT_BAKE_MINUTES) * 60);
      break;
    case "CLEAN_UP": {
      const blue = tasksOf(s, service, run.blueDeploymentIds);
      if (blue.some((t) => t.lastStatus !== "STOPPED")) return "blocked";
      until = at;
      break;
    }
    default:
      until = later(run.stageStartedAt, NATIVE_PACE.stageSeconds);
  }
  if (until.getTime() > at.getTime()) return until;
  return hooksOpen ? "blocked" : "done";
}

/** Applies the timeout action of every pause hook whose time is up; true when that started a rollback. */
function timeoutHooks(s: Sched, service: ServiceRecord, record: ServiceDeploymentRecord, at: Date): boolean {
  const run = record.native as NativeRun;
  let rollback = false;
  for (const hook of run.hooks) {
    if (hook.status !== "AWAITING_ACTION" || hook.expiresAt.getTime() > at.getTime()) continue;
    hook.status = "TIMED_OUT";
    if (hook.timeoutAction === "ROLLBACK") rollback = true;
  }
  if (rollback) beginRollback(service, record, ROLLBACK_REASONS.timeout, "ROLLBACK_IN_PROGRESS", at);
  return rollback;
}

function wake(s: Sched, record: ServiceDeploymentRecord, when: Date): void {
  const run = record.native as NativeRun;
  run.epoch += 1;
  s.world.timeline.schedule(when, { kind: "service-deployment", serviceDeploymentArn: record.arn, epoch: run.epoch });
}

/** Whether a timeline entry for the deployment is still the one to act on. */
export function isCurrentWake(record: ServiceDeploymentRecord | undefined, epoch: number): boolean {
  return record?.native?.active === true && record.native.epoch === epoch;
}

function finish(s: Sched, service: ServiceRecord, record: ServiceDeploymentRecord, green: DeploymentRecord, at: Date): void {
  const run = record.native as NativeRun;
  run.active = false;
  run.hooks = [];
  service.deployments = service.deployments.filter((d) => !run.blueDeploymentIds.includes(d.id));
  green.rolloutState = "COMPLETED";
  green.rolloutStateReason = `ECS deployment ${green.id} completed.`;
  green.updatedAt = at;
  service.lastCompleted = { id: green.id, revisionArn: green.serviceRevisionArn };
  record.status = "SUCCESSFUL";
  if (record.alarms.status === "MONITORING") record.alarms.status = "MONITORING_COMPLETE";
  record.finishedAt = at;
  record.updatedAt = at;
  addEvent(service, at, messages.deploymentCompleted(subject(service), green.id));
}

export const NO_EARLIER_REVISION =
  "There was no earlier service revision to return to: the listener rules are back as they were before the deployment and the service runs no tasks until a new deployment.";

/**
 * Starts rolling back: ROLLBACK_REQUESTED when a person asked (StopServiceDeployment, or ContinueServiceDeployment
 * with ROLLBACK), ROLLBACK_IN_PROGRESS when ECS decided itself (a hook's timeout). The rollback fields name the
 * revision blue runs; a service's first deployment has none (no blue), which statusReason says.
 */
export function beginRollback(service: ServiceRecord, record: ServiceDeploymentRecord, reason: string, status: "ROLLBACK_REQUESTED" | "ROLLBACK_IN_PROGRESS", at: Date): void {
  const run = record.native as NativeRun;
  if (run.rollingBack) return;
  run.rollingBack = true;
  for (const hook of run.hooks) if (hook.status === "AWAITING_ACTION") hook.status = "FAILED";
  const blue = service.deployments.find((d) => run.blueDeploymentIds.includes(d.id));
  record.status = status;
  record.statusReason = blue ? reason : `${reason} ${NO_EARLIER_REVISION}`;
  record.updatedAt = at;
  record.rollback = { reason, startedAt: at, ...(blue && { serviceRevisionArn: blue.serviceRevisionArn, deploymentId: blue.id }) };
  run.stageStartedAt = at;
  if (blue) addEvent(service, at, messages.rollingBack(subject(service), blue.id));
  service.steady = false;
}

/**
 * One step of a rollback at `at`; true when it moved on and the pass should look again. [UNKNOWN] which stage AWS
 * reports while it rolls back: there is no rollback stage (D-lambda), and rollback re-invokes the
 * PRODUCTION_TRAFFIC_SHIFT and TEST_TRAFFIC_SHIFT hooks, so the record shows PRODUCTION_TRAFFIC_SHIFT while traffic
 * returns to blue, then CLEAN_UP while green is scaled in. Traffic goes back by restoring the rules as they were
 * when the deployment began, so a first deployment (no blue) leaves production where it was rather than on the
 * empty group.
 */
function rollbackStep(s: Sched, service: ServiceRecord, record: ServiceDeploymentRecord, green: DeploymentRecord, at: Date): boolean {
  const run = record.native as NativeRun;
  const blue = service.deployments.find((d) => run.blueDeploymentIds.includes(d.id));
  if (record.status === "ROLLBACK_REQUESTED") {
    const due = later(run.stageStartedAt, NATIVE_PACE.stageSeconds);
    if (due.getTime() > at.getTime()) {
      wake(s, record, due);
      return false;
    }
    record.status = "ROLLBACK_IN_PROGRESS";
  }
  if (record.status === "ROLLBACK_IN_PROGRESS" && run.rollbackPhase === undefined) {
    run.rollbackPhase = "traffic";
    // Blue first serves everything again: production and test rules as they were before, before green is touched.
    run.stage = "PRODUCTION_TRAFFIC_SHIFT";
    run.stageStartedAt = at;
    run.history.push({ stage: run.stage, at });
    run.productionWeight = 0;
    run.testWeight = 0;
    if (run.productionRuleArn) restoreRule(s, run, run.productionRuleArn, run.productionForwardsAtStart, at);
    if (run.testRuleArn) restoreRule(s, run, run.testRuleArn, run.testForwardsAtStart, at);
    record.updatedAt = at;
  }
  // Blue is kept at its count throughout (a rollback from CLEAN_UP starts again what was being stopped).
  if (blue) {
    if (blue.desiredCount === 0) blue.desiredCount = desiredOf(service);
    keepAt(s, service, blue, blue.desiredCount, at);
  }
  if (run.rollbackPhase === "traffic") {
    const due = later(run.stageStartedAt, NATIVE_PACE.trafficShiftSeconds);
    if (due.getTime() > at.getTime()) {
      wake(s, record, due);
      return false;
    }
    run.rollbackPhase = "scale-in";
    run.stage = "CLEAN_UP";
    run.stageStartedAt = at;
    run.history.push({ stage: run.stage, at });
    green.desiredCount = 0;
    stopAll(s, service, tasksOf(s, service, [green.id]).filter(isLive), green.id, at);
    record.updatedAt = at;
  }
  const greenLeft = tasksOf(s, service, [green.id]).some((t) => t.lastStatus !== "STOPPED");
  const blueReady = !blue || tasksOf(s, service, [blue.id]).filter(isLive).filter(isHealthy).length >= blue.desiredCount;
  if (greenLeft || !blueReady) return false;
  run.active = false;
  run.hooks = run.hooks.filter((h) => h.status !== "AWAITING_ACTION");
  if (!blue) {
    // [CHOICE] No earlier revision (AWS documents nothing): green stays the PRIMARY deployment, at zero tasks and
    // FAILED, so the service keeps its desiredCount and current service deployment but runs nothing until the next
    // deployment; the record ends ROLLBACK_SUCCESSFUL, its statusReason saying there was nothing to return to.
    green.nothingToRun = true;
    green.desiredCount = 0;
    green.rolloutState = "FAILED";
    green.rolloutStateReason = `${record.rollback?.reason ?? ROLLBACK_REASONS.user} ${NO_EARLIER_REVISION}`;
    green.updatedAt = at;
  } else {
    service.deployments = service.deployments.filter((d) => d.id !== green.id);
    blue.status = "PRIMARY";
    blue.updatedAt = at;
    // Blue serves everything again; its own rollout (even one a superseded deployment left unfinished) is over.
    blue.rolloutState = "COMPLETED";
    blue.rolloutStateReason = `ECS deployment ${blue.id} completed.`;
    // As for the circuit breaker's rollback, the service's current service deployment is the rolled-back one.
    blue.serviceDeploymentArn = record.arn;
    const revision = s.world.revisions.get(blue.serviceRevisionArn);
    if (revision) {
      const { arn: _arn, serviceArn: _service, clusterArn: _cluster, createdAt: _created, ...workload } = structuredClone(revision);
      service.workload = workload;
    }
  }
  record.status = "ROLLBACK_SUCCESSFUL";
  record.finishedAt = at;
  record.updatedAt = at;
  return false;
}
