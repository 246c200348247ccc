import type { Action as ElbAction } from "@aws-sdk/client-elastic-load-balancing-v2";
import { executePlan, type ExecutionContext } from "../../../src/engine/executor.js";
import type { Plan } from "../../../src/engine/plan.js";
import { applyRollingAction, type AppliedService } from "../rolling/apply.js";
import type { NativeAction } from "./plan.js";
import { pendingTestRule } from "./plan.js";
import type { NativePorts } from "./ports.js";

/** The forward action with `group` added at weight 0; every other action (authentication first) as it was. */
function withIdleGroup(actions: readonly ElbAction[], group: string): ElbAction[] {
  return actions.map((a) => {
    if (a.Type !== "forward") return a;
    const groups = a.ForwardConfig?.TargetGroups ?? (a.TargetGroupArn ? [{ TargetGroupArn: a.TargetGroupArn, Weight: 1 }] : []);
    if (groups.some((g) => g.TargetGroupArn === group)) return a;
    const { TargetGroupArn: _single, ...rest } = a;
    return { ...rest, ForwardConfig: { ...a.ForwardConfig, TargetGroups: [...groups, { TargetGroupArn: group, Weight: 0 }] } };
  });
}

/** The service write with the test rule created in this run named where the plan had to leave a placeholder. */
function naming<A extends NativeAction>(action: A, testRuleArn: string | undefined): A {
  if (action.kind !== "create-service" && action.kind !== "update-service") return action;
  const input = action.params.input;
  if (!input.loadBalancers?.some((lb) => lb.advancedConfiguration?.testListenerRule === pendingTestRule)) return action;
  // A plan names the pending rule only when it creates it first, in the same run (a resumed one finds it by its tags).
  if (testRuleArn === undefined) throw new Error("the service write names a test listener rule this run did not create");
  const loadBalancers = input.loadBalancers.map((lb) => (lb.advancedConfiguration?.testListenerRule === pendingTestRule ? { ...lb, advancedConfiguration: { ...lb.advancedConfiguration, testListenerRule: testRuleArn } } : lb));
  return { ...action, params: { input: { ...input, loadBalancers } } } as A;
}

/**
 * Makes the plan's writes one at a time, journalled (a resumed deployment skips those done). Returns the service
 * write's result when this run or an earlier one of the same deployment made it: what names ECS's deployment.
 */
export async function applyNative(plan: Plan<NativeAction>, ports: NativePorts, execution: ExecutionContext, sourceTaskDefinitionArn: string | undefined): Promise<AppliedService | undefined> {
  let testRuleArn: string | undefined;
  const executed = await executePlan(
    plan,
    async (action) => {
      switch (action.kind) {
        case "create-test-rule": {
          const created = await ports.rules.createForwardRule(action.params.rule);
          testRuleArn = created.arn;
          return created;
        }
        case "associate-alternate": {
          const { rule, targetGroupArn } = action.params;
          const actions = (await ports.weights.actionsOf([rule]))[rule.arn] ?? [];
          await ports.weights.setActions(rule, withIdleGroup(actions, targetGroupArn));
          return { associated: targetGroupArn };
        }
        case "move-controller": {
          const moved = await ports.services.update(action.params.input);
          return { controller: moved.deploymentController?.type ?? "ECS" };
        }
        case "delete-test-rule":
          return { outcome: await ports.rules.deleteRule(action.params.ruleArn) };
        default:
          return { ...(await applyRollingAction(naming(action, testRuleArn), { ports })), ...(sourceTaskDefinitionArn !== undefined && { sourceTaskDefinitionArn }) };
      }
    },
    execution,
  );
  const write = executed.find((e) => e.action.kind === "create-service" || e.action.kind === "update-service");
  return write?.result as AppliedService | undefined;
}
