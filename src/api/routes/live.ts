import { Router } from "express";
import { ElbListenerRules, type ListenerResolver, type ListenerRules } from "../../aws/listener-rules.js";
import { ElbListenerWeights } from "../../aws/listener-weights.js";
import { EcsServiceDeploymentHistory } from "../../aws/service-deployments.js";
import { EcsServices } from "../../aws/services.js";
import type { ListenerRef } from "../../../targets/target.js";
import { allows, callerOf, requireRead } from "../auth.js";
import type { ApiContext } from "../context.js";
import { processReleaseOf } from "../views/deployment.js";
import { liveDeployment, type LiveDeployment, type LivePorts } from "../views/live.js";
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

/**
 * How long one reading of a deployment is shared, by default. Every viewer's dashboard asks each second; within
 * this window they all get the one reading (its AWS reads made once), so ten viewers cost AWS what one does.
 */
export const liveSharedForMs = 1000;

/** A deployment as read for everyone, and whether it waits at a gate (which decides who may abort it). */
type Reading = { answer: Omit<LiveDeployment, "caller">; gateOpen: boolean };

/** One in-flight or recent reading per deployment; a failed one is not kept. */
function sharedReadings(forMs: number): (id: string, read: () => Promise<Reading>) => Promise<Reading> {
  const recent = new Map<string, { at: number; reading: Promise<Reading> }>();
  return (id, read) => {
    const now = Date.now();
    for (const [key, entry] of recent) if (now - entry.at >= forMs) recent.delete(key);
    const hit = recent.get(id);
    if (hit) return hit.reading;
    const reading = read();
    recent.set(id, { at: now, reading });
    reading.catch(() => recent.delete(id));
    return reading;
  };
}

/** GET /deployments/{id}/live: the deployment's services as AWS shows them now, with where the deployment stands. */
export function liveRouter(ctx: ApiContext): Router {
  const router = Router();
  const resolving = rememberingResolver();
  const shared = sharedReadings(ctx.liveSharedForMs);

  router.get("/deployments/:id/live", async (req, res) => {
    const caller = callerOf(res);
    requireRead(caller);
    const run = await runNamed(ctx.store, req.params.id);
    // A run that changed status (ended, interrupted) is read afresh: the window only hides changes within a state.
    const reading = await shared(`${run.id} ${run.status}`, async () => {
      const [release, journal, gates] = await Promise.all([processReleaseOf(ctx.store, run), ctx.store.journal.entries(run.id), ctx.store.approvals.list({ open: true })]);
      if (release) ctx.redactor.learnRelease(release);
      const openGates = gates.filter((g) => g.deploymentId === run.id);
      const target = ctx.project.targets.get(run.environment);
      const clients = target ? ctx.clientsFor(target) : undefined;
      try {
        const ports: LivePorts | undefined = clients && { services: new EcsServices(clients.ecs), rules: resolving(new ElbListenerRules(clients.elbv2)), weights: new ElbListenerWeights(clients.elbv2), history: new EcsServiceDeploymentHistory(clients.ecs), clock: clients.clock };
        const { caller: _nobody, ...answer } = await liveDeployment({ run, release, target, journal, openGates, caller: { name: "", mayApprove: false, mayAbort: false } }, ports);
        return { answer, gateOpen: openGates.length > 0 };
      } finally {
        clients?.destroy();
      }
    });
    // What this caller may do is theirs alone: worked out per request, from the shared reading's open gate.
    const mayApprove = allows(caller.scopes, "approve", run.environment);
    // A rollback has no gate and nothing to stop (ECS carries it out): it cannot be aborted.
    const mayAbort = run.kind === "rollback" ? false : reading.gateOpen ? mayApprove : mayApprove || allows(caller.scopes, "deploy", run.environment);
    ctx.send(res, 200, { ...reading.answer, caller: { name: caller.name, mayApprove, mayAbort } });
  });

  return router;
}
