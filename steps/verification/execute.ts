import type { ListenerRulesWriter } from "../../src/aws/listener-rules.js";
import { executePlan, type ExecutedAction, type ExecutionContext } from "../../src/engine/executor.js";
import type { Plan } from "../../src/engine/plan.js";
import type { MatchKind } from "./identity.js";
import type { VerificationAction } from "./plan.js";

/** What a create action records in the journal: the rule's ARN, the fact closing and later stages need. */
export interface CreatedRule {
  kind: MatchKind;
  ruleArn: string;
  priority: number;
}

export interface DeletedRule {
  ruleArn: string;
  /** "not-found": someone (or an earlier run) removed it first, which is what deleting wanted. */
  outcome: "deleted" | "not-found";
}

async function apply(action: VerificationAction, writer: ListenerRulesWriter): Promise<CreatedRule | DeletedRule> {
  switch (action.kind) {
    case "create-rule": {
      const { arn } = await writer.createForwardRule(action.params.rule);
      return { kind: action.params.kind, ruleArn: arn, priority: action.params.rule.priority };
    }
    case "delete-rule":
      return { ruleArn: action.params.ruleArn, outcome: await writer.deleteRule(action.params.ruleArn) };
  }
}

/** Applies the plan through the writer port, journalling each action so a rerun resumes instead of repeating. */
export function executeVerificationPlan(plan: Plan<VerificationAction>, writer: ListenerRulesWriter, ctx: ExecutionContext): Promise<ExecutedAction<VerificationAction>[]> {
  return executePlan(plan, (action) => apply(action, writer), ctx);
}
