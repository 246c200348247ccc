import { hostname } from "node:os";
import type { DeploymentRun } from "../releases/deployment-run.js";
import { resumeDeployment, type DeployingProject } from "../releases/deployments.js";
import { processAlive } from "../storage/process-alive.js";
import { runInBackground, type BackgroundRuns } from "./background.js";

/**
 * Whether the process that ran a deployment is gone. One on this host can be checked (our own pid counts as gone:
 * it was an earlier process that had it — containers reuse small pids); one elsewhere cannot, so it is tried, and
 * the service locks it holds while alive refuse the second runner.
 */
export function runnerGone(run: DeploymentRun, here = hostname(), isAlive: (pid: number) => boolean = processAlive): boolean {
  if (!run.runner) return true;
  if (run.runner.host !== here) return true;
  return run.runner.pid === process.pid || !isAlive(run.runner.pid);
}

/**
 * What a server does when it starts: every deployment left queued, running or interrupted by a process that is
 * gone (a server that was killed or stopped, a terminal closed) continues in this one, oldest first, from its
 * journal. One whose locks another live process holds is refused by them and left to it; the log says so.
 * Rollbacks are left to `slipway resume` (the CLI ran them).
 * Returns the ids resumed.
 */
export async function resumeOrphanedRuns(project: DeployingProject, background: BackgroundRuns, say: (line: string) => void): Promise<string[]> {
  const runs = await project.store.runs.list({ status: ["queued", "running", "interrupted"], limit: 1000 });
  const resumed: string[] = [];
  for (const run of [...runs].reverse()) {
    if (run.kind === "rollback") {
      // A rollback ran no release's process, so there is nothing of it to run here: ECS carries it out, and
      // `slipway resume` watches it to its end (the environment deploys again once it has).
      say(`rollback ${run.id} of ${run.rollback.service} in ${run.environment} is ${run.status}: not resumed here; \`slipway resume ${run.id}\` watches it to its end`);
      continue;
    }
    if (!runnerGone(run)) {
      say(`deployment ${run.id} is ${run.status} in process ${run.runner?.pid ?? "?"} on this host, which is alive: left to it`);
      continue;
    }
    say(`resuming deployment ${run.id} (release ${run.release} to ${run.environment}, ${run.status})`);
    void runInBackground(project.store, run, (options) => resumeDeployment(project, run.id, options), background);
    resumed.push(run.id);
  }
  return resumed;
}
