import type { Service, ServiceDeployment } from "@aws-sdk/client-ecs";
import type { ForwardingRule } from "../../aws/listener-weights.js";
import type { Attached } from "../../../steps/service/native/deploy.js";
import { productionSteps, type NativeSettings, type NativeStrategy } from "../../../steps/service/native/settings.js";
import { greenShare } from "../../../steps/service/native/watch.js";
import { revisionLabel } from "../../../steps/service/state.js";
import type { Progress } from "./live-stages.js";

/**
 * An ecs-* service in the live view: the strategy the step gives ECS, the ECS deployment this slipway deployment
 * started (DescribeServiceDeployments: its lifecycle stage and the pause hooks of that stage), and the production
 * and test rules' weights as the new revision's and the old one's shares. Pure: the reads are live.ts's.
 */

export interface LiveHook {
  hookId: string;
  /** AWAITING_ACTION while ECS waits at the pause; SUCCEEDED, FAILED or TIMED_OUT after. */
  status: string;
  targetType?: string;
  /** When ECS stops waiting and takes the timeout action. */
  expiresAt?: string;
  timeoutAction?: string;
}

export interface LiveNativeDeployment {
  arn: string;
  /** PENDING, IN_PROGRESS, SUCCESSFUL, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL… */
  status: string;
  statusReason?: string;
  /** PRE_SCALE_UP … PRE_PRODUCTION_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT … CLEAN_UP. */
  lifecycleStage?: string;
  /** False once another deployment of the service replaced it. */
  current: boolean;
  /** "shop-web:5" */
  newRevision: string;
  oldRevision?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The hooks of the stage ECS is at. */
  hooks: LiveHook[];
  rollback?: { reason?: string; startedAt?: string };
}

/** A rule ECS shifts, as the new revision's and the old one's shares of its traffic. */
export interface LiveRuleWeights {
  rule: string;
  isDefault: boolean;
  newTargetGroup: string;
  oldTargetGroup: string;
  newPercent: number;
  oldPercent: number;
}

export interface LiveNative {
  strategy: NativeStrategy;
  bakeTimeInMinutes: number;
  linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
  canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
  /** The new revision's share of production traffic after each shift, as the strategy moves it. */
  productionSteps: number[];
  /** Those shifts ECS has still to make; none once it finished or rolls back. */
  stepsToCome: number[];
  /** Absent until this deployment starts one in ECS (or when it started none: the revision already ran). */
  deployment?: LiveNativeDeployment;
  production?: LiveRuleWeights;
  /** The rule slipway keeps for testers (the verification header), which ECS points at the new revision first. */
  test?: LiveRuleWeights;
}

export interface NativeViewInput {
  settings: NativeSettings;
  /** This deployment's service step state: before ECS's deployment starts, every shift is still to come. */
  stepState: Progress;
  attached: Attached | undefined;
  record: ServiceDeployment | undefined;
  service: Service | undefined;
  /** The rules forwarding to the target's groups, as read now. */
  forwarding: readonly ForwardingRule[];
}

/** "arn:…:targetgroup/shop-prod-blue/0e5f…" → "shop-prod-blue". */
const groupName = (arn: string) => /targetgroup\/([^/]+)/.exec(arn)?.[1] ?? arn;
const iso = (d: Date | undefined) => d?.toISOString();

function weightsOf(rule: ForwardingRule | undefined, green: string, blue: string): LiveRuleWeights | undefined {
  const newPercent = greenShare(rule?.actions, green);
  if (!rule || newPercent === undefined) return undefined;
  return { rule: rule.arn, isDefault: rule.isDefault, newTargetGroup: groupName(green), oldTargetGroup: groupName(blue), newPercent, oldPercent: greenShare(rule.actions, blue) ?? 0 };
}

function deploymentOf(record: ServiceDeployment, attached: Attached, service: Service | undefined): LiveNativeDeployment {
  const rollback = record.rollback;
  return {
    arn: attached.serviceDeploymentArn,
    status: record.status ?? "",
    ...(record.statusReason && { statusReason: record.statusReason }),
    ...(record.lifecycleStage && { lifecycleStage: record.lifecycleStage }),
    current: service?.currentServiceDeployment === attached.serviceDeploymentArn,
    newRevision: revisionLabel(attached.taskDefinitionArn),
    ...(attached.sourceTaskDefinitionArn && { oldRevision: revisionLabel(attached.sourceTaskDefinitionArn) }),
    ...(record.startedAt && { startedAt: iso(record.startedAt) }),
    ...(record.finishedAt && { finishedAt: iso(record.finishedAt) }),
    hooks: (record.lifecycleHookDetails ?? []).map((h) => ({
      hookId: h.hookId ?? "",
      status: h.status ?? "",
      ...(h.targetType && { targetType: h.targetType }),
      ...(h.expiresAt && { expiresAt: iso(h.expiresAt) }),
      ...(h.timeoutAction && { timeoutAction: h.timeoutAction }),
    })),
    ...(rollback && { rollback: { ...(rollback.reason && { reason: rollback.reason }), ...(rollback.startedAt && { startedAt: iso(rollback.startedAt) }) } }),
  };
}

const moving = new Set(["PENDING", "IN_PROGRESS"]);

export function nativeView(input: NativeViewInput): LiveNative {
  const { settings, attached, record } = input;
  const steps = productionSteps(settings);
  const deployment = attached && record ? deploymentOf(record, attached, input.service) : undefined;
  // Weights are only told against the deployment the service is on: after another replaced it, "new" would lie.
  const rule = (arn: string | undefined) => input.forwarding.find((r) => r.arn === arn);
  const shown = attached && (!deployment || deployment.current);
  const production = shown ? weightsOf(rule(attached.productionRule.arn), attached.green, attached.blue) : undefined;
  const test = shown && attached.testRule ? weightsOf(rule(attached.testRule.arn), attached.green, attached.blue) : undefined;
  const reached = production?.newPercent ?? record?.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
  // Without ECS's record, the step tells: not reached yet, or on it now.
  const inFlight = deployment ? moving.has(deployment.status) : ["pending", "running", "waiting"].includes(input.stepState);
  const stepsToCome = inFlight ? steps.filter((s) => s > reached) : [];
  return {
    strategy: settings.strategy,
    bakeTimeInMinutes: settings.bakeTimeInMinutes,
    ...(settings.linearConfiguration && { linearConfiguration: settings.linearConfiguration }),
    ...(settings.canaryConfiguration && { canaryConfiguration: settings.canaryConfiguration }),
    productionSteps: steps,
    stepsToCome,
    ...(deployment && { deployment }),
    ...(production && { production }),
    ...(test && { test }),
  };
}
