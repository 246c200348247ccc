import type { Service } from "@aws-sdk/client-ecs";
import type { ListenerRule, NewForwardRule } from "../../../src/aws/listener-rules.js";
import type { RuleRef } from "../../../src/aws/listener-weights.js";
import type { Action, Plan } from "../../../src/engine/plan.js";
import { tagKeys } from "../../verification/identity.js";
import { desiredRules, describeRoute, routesOf } from "../../verification/desired.js";
import { ceilingOf, choosePriorities, productionRules } from "../../verification/priorities.js";
import { planRolling, type RollingAction } from "../rolling/plan.js";
import type { DesiredService, ObservedService } from "../state.js";
import { planControllerMove, type MoveControllerAction } from "./controller-move.js";
import { slipwayRuleArns, testRuleOwner, type NativeFacts } from "./facts.js";
import { pauseHooks, stageWork } from "./hooks.js";
import { productionSteps, type NativeSettings } from "./settings.js";

export type CreateTestRuleAction = Action<"create-test-rule", { rule: NewForwardRule }>;
export type AssociateAlternateAction = Action<"associate-alternate", { rule: RuleRef; targetGroupArn: string }>;
export type DeleteTestRuleAction = Action<"delete-test-rule", { ruleArn: string }>;
export type NativeAction = CreateTestRuleAction | AssociateAlternateAction | DeleteTestRuleAction | MoveControllerAction | RollingAction;

/** Stands for the test rule's ARN in a plan made before the rule exists; apply puts the created rule's in. */
export const pendingTestRule = "(the test listener rule created above)";

export interface NativePlanInput {
  current: ObservedService | undefined;
  /** The service as DescribeServices gave it: an EXTERNAL one's task sets decide its move to ECS's controller. */
  described: Service | undefined;
  /** The step's service without the native members; the plan adds them. */
  desired: DesiredService;
  settings: NativeSettings;
  facts: NativeFacts;
  environment: string;
  taskDefinitionDiff: string[];
}

const sameList = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

function sameMatch(rule: ListenerRule, want: NewForwardRule["match"]): boolean {
  const m = rule.match;
  const headers = (list: { name: string; values: string[] }[]) => list.map((h) => `${h.name.toLowerCase()}=${[...h.values].sort().join(",")}`);
  const query = (list: { key?: string; value: string }[]) => list.map((q) => `${q.key ?? ""}=${q.value}`);
  return m.other === 0 && sameList(headers(m.headers), headers(want.headers)) && sameList(query(m.query), query(want.query)) && sameList(m.hosts, want.hosts) && sameList(m.paths, want.paths);
}

const other = (facts: NativeFacts) => (facts.live === facts.primary ? facts.alternate : facts.primary);

/**
 * Current service + the step's settings → the writes, in order: the test listener rule (created when missing or
 * when its conditions changed: ECS takes the rule's ARN, so a changed rule is a new one), the alternate group
 * associated with the production rule when no rule names it (ECS requires both groups on its rules), the service
 * (planRolling with the strategy's members), then the test rules no longer used. Pure.
 */
export function planNative(input: NativePlanInput): Plan<NativeAction> {
  const { settings, facts, desired } = input;
  const step = `service:${desired.serviceName}`;
  const groups = [facts.primary, facts.alternate];
  const ruleActions: NativeAction[] = [];
  const diff: string[] = [];
  const notes: string[] = [];

  let testRuleArn: string | undefined;
  let kept: ListenerRule | undefined;
  const verification = settings.verification;
  if (verification) {
    const want = desiredRules(verification.matches, verification.scope)[0]?.match ?? { headers: [], query: [], hosts: [], paths: [] };
    kept = facts.testRules.find((r) => sameMatch(r, want) && groups.every((g) => r.forwardsTo.includes(g)));
    const routes = routesOf(verification.matches).map(describeRoute).join(" or ");
    if (kept) testRuleArn = kept.arn;
    else {
      // Rules slipway keeps (verification, test) are not production: the new rule must win over production only.
      const production = productionRules(facts.rules, groups, slipwayRuleArns(facts.rules));
      const taken = new Set(facts.rules.flatMap((r) => (r.priority === "default" ? [] : [r.priority])));
      const [priority = 1] = choosePriorities(1, ceilingOf(production), taken, { listenerArn: facts.listenerArn, service: desired.serviceName, production, occupants: facts.rules });
      const rule: NewForwardRule = {
        listenerArn: facts.listenerArn,
        priority,
        match: want,
        targetGroupArn: facts.live,
        idleTargetGroupArns: [other(facts)],
        tags: { [tagKeys.owner]: testRuleOwner, [tagKeys.service]: desired.serviceName, [tagKeys.environment]: input.environment },
      };
      testRuleArn = pendingTestRule;
      ruleActions.push({ kind: "create-test-rule", key: `test rule ${JSON.stringify(want)}`, summary: `create the test listener rule (${routes}) at priority ${priority}`, params: { rule } });
      diff.push(`test listener rule: ${facts.testRules.length > 0 ? "conditions changed: a new rule" : "(none)"} → ${routes} at priority ${priority}, forwarding to the live group until ECS shifts test traffic`);
    }
    notes.push(`testers reach the new revision with ${routes} from TEST_TRAFFIC_SHIFT on, before any production traffic`);
  }

  const associated = new Set([...facts.production.forwardsTo, ...(testRuleArn ? groups : [])]);
  const missing = groups.filter((g) => !associated.has(g));
  for (const group of missing) {
    const rule = { arn: facts.production.arn, listenerArn: facts.listenerArn, isDefault: facts.production.priority === "default" };
    ruleActions.push({ kind: "associate-alternate", key: `associate ${group}`, summary: `name ${group} in the production rule's forward action at weight 0 (ECS requires both groups on its rules)`, params: { rule, targetGroupArn: group } });
    diff.push(`production rule ${facts.production.arn}: + ${group} at weight 0`);
  }

  const work = stageWork(settings);
  const native: NonNullable<DesiredService["native"]> = {
    strategy: settings.strategy,
    bakeTimeInMinutes: settings.bakeTimeInMinutes,
    ...(settings.linearConfiguration && { linearConfiguration: settings.linearConfiguration }),
    ...(settings.canaryConfiguration && { canaryConfiguration: settings.canaryConfiguration }),
    lifecycleHooks: pauseHooks(work),
  };
  // From task sets (EXTERNAL) to ECS's controller in place: planned against the service as the move leaves it.
  const move = input.current && input.described && input.current.controller === "EXTERNAL" ? planControllerMove(input.described, input.current) : undefined;
  const current = move ? move.after : input.current;
  if (move) diff.push(move.diff);
  // The service keeps the group it is bound to (a task-set service may serve from the canary group); the other is the alternate.
  const bound = current?.loadBalancers[0]?.targetGroupArn;
  const serviceGroup = bound !== undefined && groups.includes(bound) ? bound : facts.primary;
  const alternate = serviceGroup === facts.primary ? facts.alternate : facts.primary;
  const binding = desired.loadBalancers?.[0] && { ...desired.loadBalancers[0], targetGroupArn: serviceGroup };
  const serviceDesired: DesiredService = {
    ...desired,
    deployment: { ...desired.deployment, circuitBreaker: { enable: false, rollback: false } },
    native,
    ...(binding && {
      loadBalancers: [
        {
          ...binding,
          advancedConfiguration: { alternateTargetGroupArn: alternate, productionListenerRule: facts.production.arn, ...(testRuleArn && { testListenerRule: testRuleArn }), roleArn: facts.roleArn },
        },
      ],
    }),
  };
  const service = planRolling(current, serviceDesired, { taskDefinitionDiff: input.taskDefinitionDiff });

  const stale = facts.testRules.filter((r) => r.arn !== kept?.arn);
  const cleanup: NativeAction[] = stale.map((r) => ({ kind: "delete-test-rule", key: `delete test rule ${r.arn}`, summary: `delete the test listener rule no longer used (${r.arn})`, params: { ruleArn: r.arn } }));
  if (stale.length > 0) diff.push(...stale.map((r) => `test listener rule ${r.arn}: deleted once the service no longer names it`));

  const deploys = service.actions.some((a) => a.kind === "create-service" || (a.kind === "update-service" && a.params.input.taskDefinition !== undefined));
  if (deploys) notes.push(...lifecycleNotes(settings, work));
  return { step, actions: [...ruleActions, ...(move ? [move.action] : []), ...service.actions, ...cleanup], diff: [...diff, ...service.diff], notes: [...service.notes, ...notes] };
}

/** What ECS will do and where it waits for slipway, in the plan a person reads before the write. */
function lifecycleNotes(settings: NativeSettings, work: ReturnType<typeof stageWork>): string[] {
  const steps = productionSteps(settings).map((p) => `${p} %`).join(" → ");
  const lines = [`ECS ${settings.strategy}: production traffic on the new revision ${steps}, then ${settings.bakeTimeInMinutes} min bake before the old revision goes`];
  for (const w of work) {
    const what = [w.verify && "slipway's probes through the test listener rule", w.approval && `a person's approval${w.approval.instructions ? ` (${w.approval.instructions})` : ""}`].filter(Boolean).join(", then ");
    const each = w.stage === "PRE_PRODUCTION_TRAFFIC_SHIFT" && productionSteps(settings).length > 1 ? " (before each production step)" : "";
    lines.push(`ECS pauses at ${w.stage}${each} for ${what}; nobody deciding within ${w.timeoutMinutes} min: ECS does ${w.onTimeout}`);
  }
  return lines;
}
