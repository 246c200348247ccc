import { Router } from "express";
import { ElbListenerRules, type ListenerResolver, type ListenerRules } from "../../aws/listener-rules.js";
import { ElbListenerWeights } from "../../aws/listener-weights.js";
import { EcsServices } from "../../aws/services.js";
import type { ListenerRef } from "../../../targets/target.js";
import { allows, callerOf, requireRead } from "../auth.js";
import type { ApiContext } from "../context.js";
import { processReleaseOf } from "../views/deployment.js";
import { liveDeployment, type LivePorts } from "../views/live.js";
import { runNamed } from "./deployments.js";

/** How long a listener's and target groups' ARNs, resolved from the target's names, are kept. */
const resolvedForMs = 60_000;

/**
 * A dashboard re-reads a running deployment every second: the names a target gives (load balancer and port, target
 * group names) are resolved to ARNs once a minute rather than at every read, so watching costs only the reads
 * that change. Failures are not kept.
 */
function rememberingResolver(): (rules: ListenerRules) => LivePorts["rules"] {
  const known = new Map<string, { at: number; arn: Promise<string> }>();
  const remembered = (key: string, resolve: () => Promise<string>): Promise<string> => {
    const hit = known.get(key);
    if (hit && Date.now() - hit.at < resolvedForMs) return hit.arn;
    const arn = resolve();
    known.set(key, { at: Date.now(), arn });
    arn.catch(() => known.delete(key));
    return arn;
  };
  return (rules) => {
    const resolver: ListenerResolver = {
      listenerArn: (ref: ListenerRef) => remembered(`listener ${JSON.stringify(ref)}`, () => rules.listenerArn(ref)),
      targetGroupArn: (nameOrArn: string) => remembered(`target group ${nameOrArn}`, () => rules.targetGroupArn(nameOrArn)),
    };
    return { ...resolver, rulesOf: (listenerArn: string) => rules.rulesOf(listenerArn) };
  };
}

/** GET /deployments/{id}/live: the deployment's services as AWS shows them now, with where the deployment stands. */
export function liveRouter(ctx: ApiContext): Router {
  const router = Router();
  const resolving = rememberingResolver();

  router.get("/deployments/:id/live", async (req, res) => {
    const caller = callerOf(res);
    requireRead(caller);
    const run = await runNamed(ctx.store, req.params.id);
    const [release, journal, gates] = await Promise.all([processReleaseOf(ctx.store, run), ctx.store.journal.entries(run.id), ctx.store.approvals.list({ open: true })]);
    if (release) ctx.redactor.learnRelease(release);
    const openGates = gates.filter((g) => g.deploymentId === run.id);
    const mayApprove = allows(caller.scopes, "approve", run.environment);
    // A rollback has no gate and nothing to stop (ECS carries it out): it cannot be aborted.
    const mayAbort = run.kind === "rollback" ? false : openGates.length > 0 ? mayApprove : mayApprove || allows(caller.scopes, "deploy", run.environment);
    const target = ctx.project.targets.get(run.environment);
    const clients = target ? ctx.clientsFor(target) : undefined;
    try {
      const ports: LivePorts | undefined = clients && { services: new EcsServices(clients.ecs), rules: resolving(new ElbListenerRules(clients.elbv2)), weights: new ElbListenerWeights(clients.elbv2) };
      const answer = await liveDeployment({ run, release, target, journal, openGates, caller: { name: caller.name, mayApprove, mayAbort } }, ports);
      ctx.send(res, 200, answer);
    } finally {
      clients?.destroy();
    }
  });

  return router;
}
