import type { AwsClients } from "../src/aws/clients.js";
import type { Approvals } from "../src/engine/approvals.js";
import type { ExecutionContext } from "../src/engine/executor.js";
import type { Journal } from "../src/engine/journal.js";
import type { Plan } from "../src/engine/plan.js";
import type { Target } from "../targets/target.js";

/** What every step is given to run against one environment's target. */
export interface StepContext {
  target: Target;
  /** The release being deployed, recorded on what the step creates. */
  release?: string;
  /** Names this deployment's journal; running again with the same id resumes it. */
  deploymentId: string;
  journal: Journal;
  /** Built by the caller with createAwsClients(toAwsConnection(target)), the one place clients are made. */
  clients: AwsClients;
  /** Plan and stop: no AWS write. Default false. */
  dryRun?: boolean;
  onProgress?: ExecutionContext["onProgress"];
  /** Where approval gates are kept (the project's store). Absent: a step that reaches a gate fails saying so. */
  approvals?: Approvals;
  /**
   * Revisions that releases still deployed somewhere use, or that an environment would roll back to, each with
   * why (from the project's store): retention never removes them. Absent: none known.
   */
  releaseRevisions?: ReadonlyMap<string, string>;
}

export interface StepRun<Output> {
  plan: Plan;
  /** What later steps consume; absent after a dry run. */
  output?: Output;
}

/** A step as data (STYLE lesson 2): looked up by name in steps/registry.ts. */
export interface StepDefinition<Input, Output> {
  name: string;
  description: string;
  /** The $id of the input's JSON Schema in schemas/steps/. */
  schema: string;
  /** Reads and checks a step file, throwing an InputError with every problem. */
  load(file: string, options?: { environments?: readonly string[] }): Input;
  run(input: Input, ctx: StepContext): Promise<StepRun<Output>>;
}
