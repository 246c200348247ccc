import type { TaskSetAction } from "./actions.js";
import type { Stage } from "./stages.js";
import type { WaitVerdict } from "./wait.js";
import type { World } from "./world.js";

/**
 * Everything the stage machine does to the world, behind one interface with two implementations: the real one
 * (journalled AWS writes, waits, gates, probes) and the dry run's (records the writes and projects their effect,
 * so every later stage is planned against the world as it would be). The machine itself is written once.
 */
export interface Driver {
  /** The service, its task sets and the gathered rules' current actions. */
  observe(): Promise<World>;
  /** Makes the writes (journalled; a write the journal shows done is not made again). `at` names the stage. */
  execute(at: string, actions: TaskSetAction[]): Promise<void>;
  waitFor(what: string, done: (world: World) => boolean, broken?: (world: World) => string | undefined): Promise<WaitVerdict>;
  /** Waits out a pause, counting from when the journal first saw it start. */
  pause(at: string, seconds: number): Promise<void>;
  /**
   * Before a task set that had traffic is deleted or scaled down: waits until the load balancer has had the
   * traffic settle time since this deployment last moved weights (nothing when that is long past, or never).
   */
  settle(at: string): Promise<void>;
  /** A person's go-ahead through the approval gate; false when they aborted or nobody decided in time. */
  approve(at: string, stage: Extract<Stage, { kind: "approval" }>): Promise<{ approved: boolean; reason: string }>;
  /** Opens the verification rules to the other target group and runs the probes, if any. */
  verify(at: string, stage: Extract<Stage, { kind: "verify" }>): Promise<{ passed: boolean; reason: string }>;
  /** Removes this deployment's verification rules; none left is done. */
  closeVerification(at: string): Promise<void>;
  /** Removes verification rules of this service that earlier deployments left behind. */
  sweepVerification(at: string): Promise<void>;
  /** Journal markers: a finished stage, a rollback begun. */
  marked(key: string): Promise<{ found: boolean; result?: unknown }>;
  mark(key: string, summary: string, result?: unknown): Promise<void>;
  note(line: string): void;
}

/** A stage that did not succeed — a set that did not stabilise, a failed probe, an abort — which the machine rolls back. */
export class StageFailure extends Error {
  override readonly name = "StageFailure";
}
