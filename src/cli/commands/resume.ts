import { existsSync } from "node:fs";
import { checkDeploymentId } from "../../engine/deployment-id.js";
import { InputError, NotFoundError } from "../../errors.js";
import type { Output } from "../output.js";
import { resumeReleaseDeployment } from "./deploy.js";
import { readInvocation } from "./invocation.js";
import { withProjectStore, withStore } from "./project-store.js";
import { resumeRollback } from "./rollback-resume.js";
import { runServiceDeploy } from "./service.js";

interface ResumeOptions {
  project: string;
  pollInterval?: string;
}

/**
 * `slipway resume <deployment>`: runs an interrupted deployment again from its journal — the same step file,
 * environment and revision — so it finishes, or finishes rolling back. A finished deployment writes nothing.
 * Its definition, loaded at start, is in resume-command.ts.
 */
export const resumeAction = (io: Output) =>
  async (deploymentId: string, opts: ResumeOptions) => {
    checkDeploymentId(deploymentId, "the deployment to resume");
    if (!existsSync(opts.project)) throw new InputError(`${opts.project} does not exist.`, "Run from the project's directory or name its file with --project; its store holds the deployments.");
    // A deployment of a release (deploy, promote) is a run; one of a lone service step left its invocation in the journal.
    const { run, invocation } = await withStore(opts.project, async (store) => ({ run: await store.runs.get(deploymentId), invocation: await readInvocation(store.journal, deploymentId) }));
    // A rollback ran no release's process: it is watched to its end, with nothing but the project read.
    if (run?.kind === "rollback") return resumeRollback(run, opts, io);
    if (run) return withProjectStore(opts.project, (p) => resumeReleaseDeployment(p.deploying, deploymentId, io, opts));
    if (!invocation) throw new NotFoundError(`No deployment ${deploymentId} is recorded in the store of ${opts.project}.`, "Give the id a deploy printed (deployment …), and the same --project.");
    io.out(`resuming ${deploymentId}: ${invocation.stepFile} in ${invocation.environment}`);
    await runServiceDeploy(
      invocation.stepFile,
      {
        env: invocation.environment,
        project: invocation.project,
        deployment: deploymentId,
        ...(opts.pollInterval !== undefined && { pollInterval: opts.pollInterval }),
        ...(invocation.release !== undefined && { release: invocation.release }),
        ...(invocation.taskDefinition !== undefined && { taskDefinition: invocation.taskDefinition }),
      },
      io,
    );
  };
