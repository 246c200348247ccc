import type { ExecutionContext } from "../../src/engine/executor.js";
import type { Plan } from "../../src/engine/plan.js";
import type { StepContext } from "../step.js";
import type { ServiceRunOptions, ServiceStepOutput } from "./deploy.js";
import type { LoadedServiceStep } from "./load.js";
import type { ServicePorts } from "./ports.js";
import type { DeploymentProgress } from "./progress.js";
import type { ControllerType, DesiredService, ObservedService } from "./state.js";

/**
 * A deployment mode (STYLE lesson 3): how a new revision reaches a service. Every mode implements this one
 * interface and is chosen once, from the step's mode: field, in modes.ts. Rolling hands the whole rollout to
 * ECS's deployment controller; a task-set mode (issue 5) drives an EXTERNAL service's task sets through canary
 * stages itself — which is why wait() gets an approval hook and a rollout can carry stages.
 */
export interface ServiceMode {
  readonly name: string;
  /** The deployment controller the mode needs; a service with another one is refused, not converted. */
  readonly controller: ControllerType;

  /** Throws a ConflictError, with how to migrate, for a service this mode must not touch (another controller, being deleted). */
  refuseUnmanageable(current: ObservedService): void;

  /**
   * Current service (undefined: none yet) + desired → the writes to make. Pure; an empty plan means the service
   * already is what the step asks for. Throws a ConflictError for a service this mode must not touch.
   */
  plan(current: ObservedService | undefined, desired: DesiredService, facts: PlanFacts): Plan;

  /** Makes the plan's writes through executePlan, journalled, and says what rollout to watch. */
  apply(plan: Plan, current: ObservedService | undefined, desired: DesiredService, env: ModeEnvironment): Promise<Rollout>;

  /** Watches the rollout until it is steady, failed or out of time; reports progress as it goes. Never throws for a failed deployment: it says so. */
  wait(rollout: Rollout, env: ModeEnvironment): Promise<RolloutOutcome>;

  /** Returns the service to `to` (a known-good task definition) and says what rollout to watch. */
  rollback(current: ObservedService, to: string, env: ModeEnvironment): Promise<Rollout>;

  /**
   * For a mode that walks stages itself (canary, blue/green): takes over the whole deploy — reading, planning,
   * dry run, stages, approvals, its own rollback, recording — instead of plan → apply → wait. deployService hands
   * over to it when present.
   */
  deploy?(loaded: LoadedServiceStep, ctx: StepContext, options: ServiceRunOptions): Promise<{ plan: Plan; output?: ServiceStepOutput }>;
}

/** Facts read before planning that the plan only shows (it decides nothing on them). */
export interface PlanFacts {
  /** A readable diff between the running and the desired task definitions, when they differ. */
  taskDefinitionDiff: string[];
}

/** Everything a mode's effects need: its AWS ports, the journal, the progress sink, pacing, and (for gated stages) approvals. */
export interface ModeEnvironment {
  ports: ServicePorts;
  execution: ExecutionContext;
  progress: DeploymentProgress;
  watch: WatchPacing;
  /**
   * Asked before a stage that needs a person's go-ahead (a canary stage with approval: true); false stops the
   * rollout and rolls it back. Rolling has no such stages and never asks. Default: no approvals possible.
   */
  approve?: (gate: { stage: string; summary: string }) => Promise<boolean>;
  /** Ends waits early (Interrupted): Ctrl-C, a server shutting down, a person's abort. */
  signal?: AbortSignal;
}

/** How often to look, in wall-clock seconds; the SDK waiter backs off between the two. */
export interface WatchPacing {
  minDelaySeconds: number;
  maxDelaySeconds: number;
  timeoutSeconds: number;
}

/** What a mode started and is now watching. */
export interface Rollout {
  cluster: string;
  serviceName: string;
  serviceArn: string;
  /** The ECS deployment (rolling) or task set (task-set mode) that carries the new revision. */
  deploymentId: string;
  /** ECS's service deployment record of the rollout (rolling mode), when known: the authority on its outcome. */
  serviceDeploymentArn?: string;
  taskDefinitionArn: string;
  /** What the service ran before; absent when the rollout created it. */
  sourceTaskDefinitionArn?: string;
  /** False when nothing was written: the watch only confirms the service is steady. */
  changed: boolean;
  startedAt: Date;
  /** Event ids that predate the rollout: not shown again. */
  seenEventIds: string[];
  circuitBreaker: { enable: boolean; rollback: boolean };
  /** Canary stages still to walk (task-set mode); empty for rolling. */
  stages: { name: string; percent: number; approval: boolean; pauseSeconds: number }[];
}

export type OutcomeStatus = "SUCCESSFUL" | "FAILED" | "ROLLBACK_SUCCESSFUL" | "ROLLBACK_FAILED" | "TIMED_OUT";

export interface RolloutOutcome {
  status: OutcomeStatus;
  endedAt: Date;
  /** One line for people: why it ended the way it did. */
  reason: string;
  failedTasks: number;
  circuitBreakerTripped: boolean;
  /** The task definition ECS rolled back to, when it did. */
  rolledBackTo?: string;
  /** The last events of the rollout, newest last: part of explaining a failure. */
  recentEvents: { at: Date; message: string }[];
}
