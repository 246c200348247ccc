import { awsErrorName } from "../../src/aws/call.js";
import type { TaskDefinitionWriter } from "../../src/aws/task-definitions.js";
import { executePlan, type ExecutedAction, type ExecutionContext } from "../../src/engine/executor.js";
import type { Plan } from "../../src/engine/plan.js";
import type { TaskDefinitionAction } from "./plan.js";

/** What a register action records in the journal: the facts the step's output and later steps need. */
export interface RegisteredRevision {
  arn: string;
  revision: number;
}

async function apply(action: TaskDefinitionAction, writer: TaskDefinitionWriter): Promise<RegisteredRevision | { deregistered: string }> {
  switch (action.kind) {
    case "register": {
      const { taskDefinition } = await writer.register(action.params.input);
      return { arn: taskDefinition.taskDefinitionArn ?? "", revision: taskDefinition.revision ?? 0 };
    }
    case "deregister":
      try {
        await writer.deregister(action.params.arn);
      } catch (error) {
        // Already gone (deleted, or never there) is what deregistering wanted: done.
        if (awsErrorName(error) !== "ClientException") throw error;
      }
      return { deregistered: action.params.arn };
  }
}

/** Applies the plan through the writer port, journalling each action so a re-run resumes instead of repeating. */
export function executeTaskDefinitionPlan(plan: Plan<TaskDefinitionAction>, writer: TaskDefinitionWriter, ctx: ExecutionContext): Promise<ExecutedAction<TaskDefinitionAction>[]> {
  return executePlan(plan, (action) => apply(action, writer), ctx);
}
