import type { ListenerRulesReader, ListenerRulesWriter } from "../../src/aws/listener-rules.js";
import type { ExecutionContext } from "../../src/engine/executor.js";
import type { Plan } from "../../src/engine/plan.js";
import { InputError } from "../../src/errors.js";
import { desiredRules, maxValuesPerRule, routesOf, valueCount, type VerificationRoute } from "./desired.js";
import { executeVerificationPlan, type CreatedRule, type DeletedRule } from "./execute.js";
import type { MatchKind, VerificationIdentity } from "./identity.js";
import type { VerificationMatches, VerificationScope } from "./input.js";
import { planClose, planOpen, planSweep, type VerificationAction } from "./plan.js";

/**
 * The verification building blocks the task-set mode calls: open (add the rules), close (remove them on
 * promotion, rollback or abort) and sweep (remove what a crashed deployment left). Each reads the listener, plans
 * purely and writes through executePlan, so it is journalled and a rerun with the same deployment id resumes.
 */

export type VerificationPort = ListenerRulesReader & ListenerRulesWriter;

/** A listener and rule ARNs already resolved (see resolveVerificationListener). */
export interface VerificationRequest {
  identity: VerificationIdentity;
  listenerArn: string;
}

export interface OpenVerificationRequest extends VerificationRequest {
  /** All of the service's target groups: rules forwarding to any of them are the production rules to win over. */
  serviceTargetGroupArns: readonly string[];
  /** The new stack's target group. */
  newTargetGroupArn: string;
  matches: VerificationMatches;
  /** Host and path copied from the production rule. Default: any. */
  scope?: VerificationScope;
}

export interface VerificationRuleRef {
  kind: MatchKind;
  ruleArn: string;
  priority: number;
}

export interface OpenedVerification {
  plan: Plan<VerificationAction>;
  /** The rules in place for this deployment (absent after a dry run): record them, close them later. */
  rules: VerificationRuleRef[];
  /** How a tester (or runProbes) reaches the new stack. */
  routes: VerificationRoute[];
}

export interface ClosedVerification {
  plan: Plan<VerificationAction>;
  deleted: DeletedRule[];
}

export interface RunOptions {
  /** Plan and stop: no AWS write. Default false. */
  dryRun?: boolean;
}

function checkQuota(request: OpenVerificationRequest): void {
  if (!request.matches.header && !request.matches.query) throw new InputError(`The verification of ${request.identity.service} has no match.`, "Give a header (name and values), a query (key and value), or both.");
  for (const rule of desiredRules(request.matches, request.scope ?? { hosts: [], paths: [] })) {
    const count = valueCount(rule.match);
    if (count > maxValuesPerRule) {
      throw new InputError(`The verification ${rule.kind} rule would have ${count} condition values; an ALB rule allows ${maxValuesPerRule}.`, "Use fewer header values, hosts or paths.");
    }
  }
}

/**
 * Adds this deployment's verification rules (removing rules other deployments of the service left), at priorities
 * that win over production. Fails with a ConflictError before any write when no priorities are free.
 */
export async function openVerification(request: OpenVerificationRequest, port: VerificationPort, execution: ExecutionContext, options: RunOptions = {}): Promise<OpenedVerification> {
  checkQuota(request);
  const current = await port.rulesOf(request.listenerArn);
  const { plan, kept } = planOpen({
    step: `verification:${request.identity.service}`,
    identity: request.identity,
    listenerArn: request.listenerArn,
    current,
    serviceTargetGroupArns: request.serviceTargetGroupArns,
    newTargetGroupArn: request.newTargetGroupArn,
    desired: desiredRules(request.matches, request.scope ?? { hosts: [], paths: [] }),
  });
  const routes = routesOf(request.matches);
  if (options.dryRun) return { plan, rules: [], routes };
  const executed = await executeVerificationPlan(plan, port, execution);
  const created = executed.filter((e) => e.action.kind === "create-rule").map((e) => e.result as CreatedRule);
  const rules = [...kept, ...created].map(({ kind, ruleArn, priority }) => ({ kind, ruleArn, priority })).sort((a, b) => a.priority - b.priority);
  return { plan, rules, routes };
}

async function runDeletes(plan: Plan<VerificationAction>, port: VerificationPort, execution: ExecutionContext, options: RunOptions): Promise<ClosedVerification> {
  if (options.dryRun) return { plan, deleted: [] };
  const executed = await executeVerificationPlan(plan, port, execution);
  return { plan, deleted: executed.map((e) => e.result as DeletedRule) };
}

/** Removes this deployment's verification rules: on promotion, rollback and abort. A rule already gone counts as removed. */
export async function closeVerification(request: VerificationRequest, port: VerificationPort, execution: ExecutionContext, options: RunOptions = {}): Promise<ClosedVerification> {
  const plan = planClose(`verification-close:${request.identity.service}`, await port.rulesOf(request.listenerArn), request.identity);
  return runDeletes(plan, port, execution, options);
}

/** Removes verification rules of this service that other deployments left behind (openVerification does this too). */
export async function sweepLeakedVerificationRules(request: VerificationRequest, port: VerificationPort, execution: ExecutionContext, options: RunOptions = {}): Promise<ClosedVerification> {
  const plan = planSweep(`verification-sweep:${request.identity.service}`, await port.rulesOf(request.listenerArn), request.identity);
  return runDeletes(plan, port, execution, options);
}
