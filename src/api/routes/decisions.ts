import { Router, type Request, type Response } from "express";
import type { Verdict } from "../../engine/approvals.js";
import { decisionEvent } from "../../releases/decision-event.js";
import { abortThroughServer } from "../abort-run.js";
import type { DeploymentRun } from "../../releases/deployment-run.js";
import { allows, callerOf, ForbiddenError, requireEitherIn, requireIn, type Caller } from "../auth.js";
import { BodyReader } from "../body.js";
import type { ApiContext } from "../context.js";
import { runNamed } from "./deployments.js";

/**
 * POST /deployments/{id}/approve and /abort: a person's decision on the deployment's open gate, made as the key's
 * name. Abort without an open gate asks the runner to stop at its next safe point instead.
 */
export function decisionsRouter(ctx: ApiContext): Router {
  const router = Router();

  const read = (req: Request) => {
    const body = new BodyReader(req.body, ["stage", "reason"]);
    const stage = body.string("stage", { hint: "The gate's stage, when the deployment waits at several; leave it out for its only open gate.", max: 256 });
    const reason = body.string("reason", { hint: "Why, for the record: free text up to 2000 characters.", max: 2000 });
    body.done();
    return { stage, reason };
  };

  const decide = async (req: Request, res: Response, verdict: Verdict) => {
    const caller = callerOf(res);
    // A key that may decide nothing anywhere learns nothing, not even whether the deployment exists.
    if (caller.scopes.approve.length === 0 && (verdict === "approved" || caller.scopes.deploy.length === 0)) requireIn(caller, "approve", ctx.project.lifecycle.names.at(-1) as string);
    const { stage, reason } = read(req);
    const run = await runVisibleTo(caller, req.params.id as string, verdict);
    const gates = (await ctx.store.approvals.list()).filter((g) => g.deploymentId === run.id);
    // Open is undecided, as the store's own { open: true } filter says: one read serves both.
    const open = gates.filter((g) => !g.decision);
    if (verdict === "aborted" && stage === undefined && open.length === 0) {
      // Nothing waits for a person: the runner stops itself at its next safe point (status aborted). Who may stop
      // it: whoever may deploy or approve there — but once a person approved a gate of it, only someone who may
      // approve there can countermand that decision.
      if (gates.some((g) => g.decision?.outcome === "approved")) requireIn(caller, "approve", run.environment);
      else requireEitherIn(caller, run.environment);
      await abortThroughServer(ctx, run, { by: caller.name, ...(reason !== undefined && { reason }) });
      ctx.send(res, 202, { deployment: run.id, abortRequested: true });
      return;
    }
    requireIn(caller, "approve", run.environment);
    const decision = await ctx.store.approvals.decide({ deploymentId: run.id, ...(stage !== undefined && { stage }), verdict, by: caller.name, ...(reason !== undefined && { reason }) });
    await ctx.store.events.append(decisionEvent(decision));
    await ctx.store.audit.record({
      actor: caller.name,
      action: verdict === "approved" ? "deployment.approve" : "deployment.abort",
      environment: run.environment,
      subject: run.id,
      detail: { stage: decision.stage, ...(reason !== undefined && { reason }) },
    });
    ctx.send(res, 200, { deployment: run.id, decision });
  };

  /**
   * The deployment, to a caller who may decide on it. A key without the read scope learns nothing of deployments
   * outside the environments it may act in: an unknown id and another environment's deployment get one answer.
   */
  const runVisibleTo = async (caller: Caller, id: string, verdict: Verdict): Promise<DeploymentRun> => {
    if (caller.scopes.read) return runNamed(ctx.store, id);
    const run = await ctx.store.runs.get(id);
    const mayAct = (environment: string) => allows(caller.scopes, "approve", environment) || (verdict === "aborted" && allows(caller.scopes, "deploy", environment));
    if (run && mayAct(run.environment)) return run;
    const where = verdict === "approved" ? caller.scopes.approve : [...new Set([...caller.scopes.approve, ...caller.scopes.deploy])];
    throw new ForbiddenError(
      `The key "${caller.name}" may not ${verdict === "approved" ? "approve" : "abort"} deployment ${id}: without the read scope, it reaches only deployments in ${where.includes("*") ? "environments it may act in" : where.join(", ") || "no environment"}.`,
      "Check the deployment id, or use a key with the read scope to learn where a deployment runs.",
      "read",
    );
  };

  router.post("/deployments/:id/approve", (req, res) => decide(req, res, "approved"));
  router.post("/deployments/:id/abort", (req, res) => decide(req, res, "aborted"));
  return router;
}
