import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import type { ExecutedAction } from "../../src/engine/executor.js";
import type { RegisteredRevision } from "./execute.js";
import type { CurrentRevision, TaskDefinitionAction } from "./plan.js";
import type { PinnedImage } from "./render.js";

/** What the task definition step hands to a service step. */
export interface TaskDefinitionStepOutput {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  /** True when this run (or the run it resumed) registered the revision; false when an unchanged one was reused. */
  registered: boolean;
  images: PinnedImage[];
}

/**
 * What a dry run hands a service step instead of an output: the revision it would run — the environment's
 * identical one it would reuse, or the definition it would register, not yet a revision of any number.
 */
export interface PlannedTaskDefinition {
  family: string;
  /** The revision to reuse; absent: a new one would be registered. */
  reuse?: string;
  /** As it would be registered (rendered for the environment, images pinned). */
  definition: RegisterTaskDefinitionCommandInput;
}

/** The revision the service should run: the one just registered, or the environment's identical one, reused. */
export function stepOutput(family: string, images: PinnedImage[], executed: ExecutedAction<TaskDefinitionAction>[], identical: CurrentRevision | undefined): TaskDefinitionStepOutput {
  const registered = executed.find((e) => e.action.kind === "register")?.result as RegisteredRevision | undefined;
  const revision = registered ?? (identical && { arn: identical.arn, revision: identical.revision });
  if (!revision) throw new Error(`task definition ${family}: nothing registered and no identical revision to reuse`);
  return { taskDefinitionArn: revision.arn, family, revision: revision.revision, registered: registered !== undefined, images };
}
