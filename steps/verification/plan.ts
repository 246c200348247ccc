import { createHash } from "node:crypto";
import type { ListenerRule, NewForwardRule } from "../../src/aws/listener-rules.js";
import type { Action, Plan } from "../../src/engine/plan.js";
import type { DesiredRule } from "./desired.js";
import { deploymentOf, isVerificationRuleOf, ownerValue, tagKeys, verificationTags, type MatchKind, type VerificationIdentity } from "./identity.js";
import { ceilingOf, choosePriorities, productionRules } from "./priorities.js";

export type CreateRuleAction = Action<"create-rule", { kind: MatchKind; rule: NewForwardRule }>;
export type DeleteRuleAction = Action<"delete-rule", { ruleArn: string; priority: number | "default"; deploymentId: string; why: "leaked" | "replaced" | "closing" }>;
export type VerificationAction = CreateRuleAction | DeleteRuleAction;

/** A verification rule this deployment already has and keeps as it is. */
export interface KeptRule {
  kind: MatchKind;
  ruleArn: string;
  priority: number;
}

export interface OpenPlanInput {
  /** The plan's step name, e.g. "verification:shop-web". */
  step: string;
  identity: VerificationIdentity;
  listenerArn: string;
  /** Every rule of the listener as read now, with tags. */
  current: ListenerRule[];
  /** All of the service's target groups (primary and canary): rules forwarding to any of them are production. */
  serviceTargetGroupArns: readonly string[];
  /** The new stack's target group: where the verification rules forward. */
  newTargetGroupArn: string;
  desired: DesiredRule[];
}

function fingerprint(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 12);
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

function sameMatch(rule: ListenerRule, desired: DesiredRule): boolean {
  const a = rule.match;
  const b = desired.match;
  return (
    a.other === 0 &&
    sameList(a.hosts, b.hosts) &&
    sameList(a.paths, b.paths) &&
    a.headers.length === b.headers.length &&
    a.headers.every((h, i) => h.name.toLowerCase() === b.headers[i]?.name.toLowerCase() && sameList(h.values, b.headers[i]?.values ?? [])) &&
    a.query.length === b.query.length &&
    a.query.every((q, i) => q.key === b.query[i]?.key && q.value === b.query[i]?.value)
  );
}

function deleteAction(rule: ListenerRule, why: DeleteRuleAction["params"]["why"]): DeleteRuleAction {
  const deploymentId = deploymentOf(rule);
  const reason = why === "leaked" ? `left by deployment ${deploymentId}` : why === "replaced" ? "replaced: it no longer matches the step" : `of deployment ${deploymentId}`;
  return { kind: "delete-rule", key: `delete ${rule.arn}`, summary: `delete the verification rule at priority ${String(rule.priority)} (${reason})`, params: { ruleArn: rule.arn, priority: rule.priority, deploymentId, why } };
}

const describeMatch = (d: DesiredRule) => (d.kind === "header" ? `header ${d.match.headers[0]?.name ?? ""}` : `query ?${d.match.query[0]?.key ?? ""}=`);

/** Rules of this service left by other deployments (a crash, a killed process): removed by whoever runs next. */
export function leakedRules(current: ListenerRule[], identity: VerificationIdentity): ListenerRule[] {
  return current.filter((r) => isVerificationRuleOf(r, identity) && deploymentOf(r) !== identity.deploymentId);
}

export function ownRules(current: ListenerRule[], identity: VerificationIdentity): ListenerRule[] {
  return current.filter((r) => isVerificationRuleOf(r, identity) && deploymentOf(r) === identity.deploymentId);
}

/**
 * Desired verification rules + the listener's rules → deletes (leaked rules, own rules that no longer fit) then
 * creates. Pure. A rule of this deployment that already matches, forwards to the new stack and still wins over
 * production is kept: that is how a rerun after a crash finds the rule its first run created. Deletes come first
 * so the numbers they free can be reused.
 */
export function planOpen(input: OpenPlanInput): { plan: Plan<VerificationAction>; kept: KeptRule[] } {
  // Verification rules (any service's) only ever carry testers' requests: they are not production to win over.
  const verification = input.current.filter((r) => r.tags[tagKeys.owner] === ownerValue);
  const production = productionRules(input.current, input.serviceTargetGroupArns, new Set(verification.map((r) => r.arn)));
  const ceiling = ceilingOf(production);
  const deletes: DeleteRuleAction[] = leakedRules(input.current, input.identity).map((r) => deleteAction(r, "leaked"));
  const kept: KeptRule[] = [];
  const toCreate: DesiredRule[] = [];
  const own = ownRules(input.current, input.identity);
  for (const desired of input.desired) {
    const existing = own.find((r) => r.tags[tagKeys.match] === desired.kind);
    const fits = existing && sameMatch(existing, desired) && sameList(existing.forwardsTo, [input.newTargetGroupArn]) && existing.priority !== "default" && existing.priority < ceiling;
    if (existing && fits && existing.priority !== "default") kept.push({ kind: desired.kind, ruleArn: existing.arn, priority: existing.priority });
    else toCreate.push(desired);
  }
  const keptArns = new Set(kept.map((k) => k.ruleArn));
  for (const rule of own) if (!keptArns.has(rule.arn)) deletes.push(deleteAction(rule, "replaced"));

  const deleted = new Set(deletes.map((d) => d.params.ruleArn));
  const remaining = input.current.filter((r) => !deleted.has(r.arn));
  const taken = new Set(remaining.flatMap((r) => (r.priority === "default" ? [] : [r.priority])));
  const priorities = toCreate.length === 0 ? [] : choosePriorities(toCreate.length, ceiling, taken, { listenerArn: input.listenerArn, service: input.identity.service, production, occupants: remaining });
  const creates: CreateRuleAction[] = toCreate.map((desired, i) => {
    const priority = priorities[i] as number;
    const hash = fingerprint({ match: desired.match, to: input.newTargetGroupArn });
    return {
      kind: "create-rule",
      key: `create ${desired.kind} rule ${hash}`,
      summary: `add a verification rule at priority ${priority}: ${describeMatch(desired)} → the new stack`,
      params: { kind: desired.kind, rule: { listenerArn: input.listenerArn, priority, match: desired.match, targetGroupArn: input.newTargetGroupArn, tags: verificationTags(input.identity, desired.kind) } },
    };
  });

  const notes = [
    production.length > 0 ? `production: ${production.length} rule(s) forward to ${input.identity.service}'s target groups, the lowest at priority ${String(production[0]?.priority)}` : `no rule forwards to ${input.identity.service}'s target groups yet: any free priority wins`,
    ...kept.map((k) => `the ${k.kind} rule at priority ${k.priority} is already in place`),
  ];
  const diff = [...deletes.map((d) => `- ${d.summary}`), ...creates.map((c) => `+ ${c.summary}`)];
  return { plan: { step: input.step, actions: [...deletes, ...creates], diff, notes }, kept };
}

/** Deletes of the rules `select` picks from the listener. Pure. */
function planDeletes(step: string, rules: ListenerRule[], why: DeleteRuleAction["params"]["why"]): Plan<VerificationAction> {
  const actions = rules.map((r) => deleteAction(r, why));
  return { step, actions, diff: actions.map((a) => `- ${a.summary}`), notes: actions.length === 0 ? ["no verification rules to remove"] : [] };
}

/** Promotion, rollback or abort: this deployment's verification rules go. */
export function planClose(step: string, current: ListenerRule[], identity: VerificationIdentity): Plan<VerificationAction> {
  return planDeletes(step, ownRules(current, identity), "closing");
}

/** Rules other deployments of this service left (their process crashed before closing). */
export function planSweep(step: string, current: ListenerRule[], identity: VerificationIdentity): Plan<VerificationAction> {
  return planDeletes(step, leakedRules(current, identity), "leaked");
}
