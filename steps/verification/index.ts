import { ElbListenerRules } from "../../src/aws/listener-rules.js";
import { DeploymentFailedError } from "../../src/errors.js";
import type { StepDefinition } from "../step.js";
import { loadVerificationStep, verificationSchemaId, type LoadedVerificationStep } from "./load.js";
import { runProbes, type ProbeReport } from "./probes.js";
import { resolveVerificationListener } from "./resolve.js";
import { closeVerification, openVerification, type VerificationRuleRef } from "./verification.js";

export interface VerificationStepOutput {
  listenerArn: string;
  rules: VerificationRuleRef[];
  probes?: ProbeReport;
}

/**
 * The verification step: exposes the new stack to testers through header and query-string rules that win over
 * production, then (optionally) probes it through them. Failed probes abort: the rules are removed and the step
 * fails. Passing leaves the rules open for people to test; the task-set mode closes them on promotion or
 * rollback, and the next deployment of the service sweeps any left.
 */
export const verificationStep: StepDefinition<LoadedVerificationStep, VerificationStepOutput> = {
  name: "verification",
  description: "Expose the new stack to testers only, through listener rules matching a secret header or query parameter, and probe it over them.",
  schema: verificationSchemaId,
  load: (file) => loadVerificationStep(file),
  async run(loaded, ctx) {
    const { input } = loaded;
    const port = new ElbListenerRules(ctx.clients.elbv2);
    const listener = await resolveVerificationListener(ctx.target, input.targetGroup, port);
    const identity = { service: input.service, environment: ctx.target.environment, deploymentId: ctx.deploymentId };
    const execution = { deploymentId: ctx.deploymentId, journal: ctx.journal, ...(ctx.onProgress && { onProgress: ctx.onProgress }) };
    const request = { identity, listenerArn: listener.listenerArn, serviceTargetGroupArns: listener.serviceTargetGroupArns, newTargetGroupArn: listener.newTargetGroupArn, matches: input.match, scope: input.scope };
    const opened = await openVerification(request, port, execution, { dryRun: ctx.dryRun ?? false });
    if (ctx.dryRun) return { plan: opened.plan };
    const output: VerificationStepOutput = { listenerArn: listener.listenerArn, rules: opened.rules };
    if (!input.probes) return { plan: opened.plan, output };
    const probes = await runProbes(`verification-probes:${input.service}`, input.probes, opened.routes, execution);
    if (!probes.passed) {
      // An abort: testers must not keep reaching a stack that failed its checks.
      await closeVerification({ identity, listenerArn: listener.listenerArn }, port, execution);
      const failed = probes.results.filter((r) => !r.passed);
      throw new DeploymentFailedError(`Verification of ${input.service} failed: ${failed.map((r) => r.reason).join("; ")}.`, "The verification rules were removed. Fix the new stack and deploy again.");
    }
    return { plan: opened.plan, output: { ...output, probes } };
  },
};

export { openVerification, closeVerification, sweepLeakedVerificationRules } from "./verification.js";
export type { OpenVerificationRequest, VerificationRequest, OpenedVerification, ClosedVerification, VerificationPort } from "./verification.js";
export { runProbes, type ProbeReport, type ProbeResult } from "./probes.js";
export { resolveVerificationListener, type ResolvedListener } from "./resolve.js";
export { routesOf, type VerificationRoute } from "./desired.js";
export type { VerificationIdentity } from "./identity.js";
export type { LoadedVerificationStep } from "./load.js";
