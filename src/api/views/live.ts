import type { Service, ServiceDeployment } from "@aws-sdk/client-ecs";
import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ListenerResolver, ListenerRulesReader, RuleMatch } from "../../aws/listener-rules.js";
import type { ForwardingRule, ListenerWeights } from "../../aws/listener-weights.js";
import type { ServiceDeploymentHistory } from "../../aws/service-deployments.js";
import type { ServiceReader } from "../../aws/services.js";
import type { Gate } from "../../engine/approvals.js";
import type { JournalEntry } from "../../engine/journal.js";
import type { DeploymentRun, DeploymentRunStatus } from "../../releases/deployment-run.js";
import { runsIn } from "../../releases/process-steps.js";
import type { Release, SnapshotStep } from "../../releases/release.js";
import type { Target } from "../../../targets/target.js";
import { settingsFor } from "../../../steps/service/input.js";
import { attachedOf, type Attached } from "../../../steps/service/native/deploy.js";
import { testRuleOwner } from "../../../steps/service/native/facts.js";
import { revisionLabel } from "../../../steps/service/state.js";
import { observeTaskSet } from "../../../steps/service/task-sets/world.js";
import { resolveVerificationListener } from "../../../steps/verification/resolve.js";
import { deploymentOf, ownerValue, tagKeys } from "../../../steps/verification/identity.js";
import { nativeView, type LiveNative } from "./live-native.js";
import { stageProgress, stepProgress, type LiveStage, type LiveStep } from "./live-stages.js";

/**
 * GET /deployments/{id}/live: what the deployment's services look like in AWS now — each task set with its counts
 * and the share of production traffic its target group gets, or for an ecs-* service ECS's own deployment and the
 * weights of the rules it shifts; the listener rules that route it, and the verification rules open to testers —
 * beside where the deployment stands. Read-only; read at every request.
 */

export interface LiveTaskSet {
  id: string;
  status: string;
  /** "shop-web:4" */
  taskDefinition: string;
  taskDefinitionArn: string;
  computedDesiredCount: number;
  pendingCount: number;
  runningCount: number;
  /** Percent of the service's desired count. */
  scale: number;
  stabilityStatus?: string;
  targetGroup?: string;
  targetGroupArn?: string;
  /** The share (0–100) of production traffic its target group gets; absent when the rules disagree or none routes to it. */
  trafficPercent?: number;
  /** The part it plays ("canary", "primary", "initial", "restore") in the slipway deployment that made it. */
  role?: string;
  deployment?: string;
}

/** A rolling service's ECS deployments. */
export interface LiveEcsDeployment {
  id: string;
  status: string;
  taskDefinition: string;
  taskDefinitionArn: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks: number;
  rolloutState?: string;
}

export interface LiveService {
  step: string;
  service: string;
  cluster: string;
  mode: string;
  /** False until the deployment creates it. */
  exists: boolean;
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  stages: LiveStage[];
  rollback?: "begun" | "done";
  taskSets: LiveTaskSet[];
  deployments: LiveEcsDeployment[];
  /** ecs-blue-green, ecs-linear and ecs-canary: ECS's deployment, its pause hooks, the rules' weights. */
  native?: LiveNative;
}

export interface LiveRoute {
  rule: string;
  listener: string;
  isDefault: boolean;
  targets: { targetGroup: string; targetGroupArn: string; weight: number; percent: number }[];
}

export interface LiveVerificationRule {
  rule: string;
  priority: number | "default";
  service: string;
  /** The deployment that opened it. */
  deployment: string;
  match: Omit<RuleMatch, "other">;
  forwardsTo: string[];
}

export interface LiveDeployment {
  deployment: string;
  kind: DeploymentRun["kind"];
  /** The release deployed; for a rollback, the release returned to — absent when none is known. */
  release?: string;
  environment: string;
  status: DeploymentRunStatus;
  readAt: string;
  /** What the caller's key may do to this deployment now. */
  caller: { name: string; mayApprove: boolean; mayAbort: boolean };
  steps: LiveStep[];
  services: LiveService[];
  /** Production rules (and default actions) forwarding to the target's target groups, verification and test rules left out. */
  routing: LiveRoute[];
  verificationRules: LiveVerificationRule[];
}

/** The AWS reads the view needs: the ports the steps use, read-only. */
export interface LivePorts {
  services: ServiceReader;
  rules: ListenerResolver & ListenerRulesReader;
  weights: Pick<ListenerWeights, "forwardingTo">;
  /** ECS's records of the ecs-* services' deployments. */
  history: Pick<ServiceDeploymentHistory, "describe">;
  /** AWS's clock: the reading is dated as ECS and the load balancer date things. */
  clock: { now(): Date };
}

export interface LiveInput {
  run: DeploymentRun;
  release: Release | undefined;
  target: Target | undefined;
  journal: readonly JournalEntry[];
  /** The deployment's open gates. */
  openGates: readonly Gate[];
  caller: LiveDeployment["caller"];
}

type ServiceStep = Extract<SnapshotStep, { uses: "service" }>;

/** "arn:…:targetgroup/shop-prod-blue/0e5f…" → "shop-prod-blue". */
export const targetGroupName = (arn: string) => /targetgroup\/([^/]+)/.exec(arn)?.[1] ?? arn;

function forwardWeights(actions: readonly Action[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const action of actions.filter((a) => a.Type === "forward")) {
    const groups = action.ForwardConfig?.TargetGroups?.length ? action.ForwardConfig.TargetGroups : action.TargetGroupArn ? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }] : [];
    for (const g of groups) weights.set(g.TargetGroupArn ?? "", (weights.get(g.TargetGroupArn ?? "") ?? 0) + (g.Weight ?? 1));
  }
  return weights;
}

export function routeOf(rule: ForwardingRule): LiveRoute {
  const weights = forwardWeights(rule.actions);
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  return {
    rule: rule.arn,
    listener: rule.listenerArn,
    isDefault: rule.isDefault,
    targets: [...weights].map(([arn, weight]) => ({ targetGroup: targetGroupName(arn), targetGroupArn: arn, weight, percent: total === 0 ? 0 : (weight * 100) / total })),
  };
}

/** The group's share of production traffic when every rule gives it the same; undefined otherwise. */
export function trafficOf(group: string | undefined, routing: readonly LiveRoute[]): number | undefined {
  if (group === undefined || routing.length === 0) return undefined;
  const shares = new Set(routing.map((r) => r.targets.find((t) => t.targetGroupArn === group)?.percent ?? 0));
  return shares.size === 1 ? [...shares][0] : undefined;
}

/** What AWS showed of one service: its description; for an ecs-* one the ECS deployment this one started, and ECS's record of it. */
interface ServiceReading {
  described: Service | undefined;
  attached: Attached | undefined;
  record: ServiceDeployment | undefined;
}

function serviceOf(step: ServiceStep, input: LiveInput, reading: ServiceReading, forwarding: readonly ForwardingRule[], routing: readonly LiveRoute[], stepState: LiveStep["state"]): LiveService {
  const settings = settingsFor(step.raw, input.run.environment);
  const described = reading.described;
  const progress = stageProgress(step, input.run.environment, stepState, input.journal, input.openGates);
  const taskSets = (described?.taskSets ?? []).map((raw): LiveTaskSet => {
    const set = observeTaskSet(raw);
    const traffic = trafficOf(set.targetGroup, routing);
    return {
      id: set.id,
      status: set.status,
      taskDefinition: revisionLabel(set.taskDefinition),
      taskDefinitionArn: set.taskDefinition,
      computedDesiredCount: set.computedDesiredCount,
      pendingCount: set.pendingCount,
      runningCount: set.runningCount,
      scale: set.scale,
      ...(raw.stabilityStatus !== undefined && { stabilityStatus: raw.stabilityStatus }),
      ...(set.targetGroup !== undefined && { targetGroup: targetGroupName(set.targetGroup), targetGroupArn: set.targetGroup }),
      ...(traffic !== undefined && { trafficPercent: traffic }),
      ...(set.owner && { role: set.owner.role, deployment: set.owner.deploymentId }),
    };
  });
  const deployments = (described?.deployments ?? []).map((d) => ({
    id: d.id ?? "",
    status: d.status ?? "",
    taskDefinition: revisionLabel(d.taskDefinition),
    taskDefinitionArn: d.taskDefinition ?? "",
    desiredCount: d.desiredCount ?? 0,
    pendingCount: d.pendingCount ?? 0,
    runningCount: d.runningCount ?? 0,
    failedTasks: d.failedTasks ?? 0,
    ...(d.rolloutState !== undefined && { rolloutState: d.rolloutState }),
  }));
  return {
    step: step.name,
    service: settings.service,
    cluster: input.target?.cluster ?? "",
    mode: settings.mode,
    exists: described !== undefined,
    ...(described && { desiredCount: described.desiredCount ?? 0, runningCount: described.runningCount ?? 0, pendingCount: described.pendingCount ?? 0 }),
    stages: progress.stages,
    ...(progress.rollback && { rollback: progress.rollback }),
    taskSets,
    deployments,
    ...(settings.native && { native: nativeView({ settings: settings.native, stepState, attached: reading.attached, record: reading.record, service: described, forwarding }) }),
  };
}

/** ECS's records of the deployments the ecs-* services' steps started, in one DescribeServiceDeployments. */
async function nativeRecords(attached: readonly (Attached | undefined)[], history: LivePorts["history"]): Promise<(ServiceDeployment | undefined)[]> {
  const arns = attached.flatMap((a) => (a ? [a.serviceDeploymentArn] : []));
  if (arns.length === 0) return attached.map(() => undefined);
  const described = await history.describe(arns);
  // An endpoint without ECS's deployment records: the rules' weights are still shown.
  const records = described.offered ? described.value : [];
  return attached.map((a) => records.find((r) => a !== undefined && r.serviceDeploymentArn === a.serviceDeploymentArn));
}

/** Reads the deployment's services, routing and verification rules from AWS now, and shapes the answer. */
export async function liveDeployment(input: LiveInput, ports: LivePorts | undefined): Promise<LiveDeployment> {
  const { run, release } = input;
  // Without a target (or its clients) there is nothing to read in AWS: where the deployment stands is still shown.
  const aws = ports && input.target ? { ports, target: input.target } : undefined;
  const steps = release ? stepProgress(release, run, input.openGates) : [];
  const serviceSteps = (release?.snapshot.steps ?? []).filter((s): s is ServiceStep => s.uses === "service" && runsIn(s, run.environment));
  const settings = serviceSteps.map((s) => settingsFor(s.raw, run.environment));
  const names = settings.map((s) => s.service);
  const attached = settings.map((s) => (s.native ? attachedOf([...input.journal], s.service) : undefined));
  const [described, records] = aws ? await Promise.all([Promise.all(names.map((name) => aws.ports.services.describe(aws.target.cluster, name))), nativeRecords(attached, aws.ports.history)]) : [[], []];
  let forwarding: ForwardingRule[] = [];
  let routing: LiveRoute[] = [];
  let verificationRules: LiveVerificationRule[] = [];
  if (aws?.target.loadBalancer && serviceSteps.length > 0) {
    const listener = await resolveVerificationListener(aws.target, "canary", aws.ports.rules);
    const [found, rules] = await Promise.all([aws.ports.weights.forwardingTo(listener.serviceTargetGroupArns), aws.ports.rules.rulesOf(listener.listenerArn)]);
    forwarding = found;
    routing = forwarding.filter((r) => r.tags[tagKeys.owner] !== ownerValue && r.tags[tagKeys.owner] !== testRuleOwner).map(routeOf);
    verificationRules = rules
      .filter((r) => r.tags[tagKeys.owner] === ownerValue && r.tags[tagKeys.environment] === run.environment && names.includes(r.tags[tagKeys.service] ?? ""))
      .map((r) => {
        const { other: _other, ...match } = r.match;
        return { rule: r.arn, priority: r.priority, service: r.tags[tagKeys.service] ?? "", deployment: deploymentOf(r), match, forwardsTo: r.forwardsTo.map(targetGroupName) };
      });
  }
  const stateOf = (step: ServiceStep) => steps.find((s) => s.name === step.name)?.state ?? "pending";
  return {
    deployment: run.id,
    kind: run.kind,
    ...(run.release !== undefined && { release: run.release }),
    environment: run.environment,
    status: run.status,
    readAt: (ports?.clock.now() ?? new Date()).toISOString(),
    caller: input.caller,
    steps,
    services: serviceSteps.map((step, i) => serviceOf(step, input, { described: described[i], attached: attached[i], record: records[i] }, forwarding, routing, stateOf(step))),
    routing,
    verificationRules,
  };
}
