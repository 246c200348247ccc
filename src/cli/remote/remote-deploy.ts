import { DeploymentFailedError } from "../../errors.js";
import type { DeploymentRun } from "../../releases/deployment-run.js";
import type { DeploymentPreview } from "../../releases/preview-deployment.js";
import type { Output } from "../output.js";
import { previewLines } from "../commands/preview-lines.js";
import { connect } from "./connect.js";
import { follow } from "./follow.js";
import { refusePollInterval, type ServerOptions } from "./server-option.js";

interface DeployOptions extends ServerOptions {
  project: string;
  to?: string;
  json?: boolean;
  pollInterval?: string;
  dryRun?: boolean;
}

/** deploy and promote through a server: the server's runner deploys; this command follows it to the end. */
async function deployThroughServer(release: string, io: Output, opts: DeployOptions): Promise<void> {
  refusePollInterval(opts);
  const { api } = await connect(opts);
  const request = { release, ...(opts.to !== undefined && { environment: opts.to }) };
  if (opts.dryRun) {
    const preview = await api.post<DeploymentPreview>("deployments", { ...request, dryRun: true });
    if (opts.json) io.out(JSON.stringify(preview, null, 2));
    else for (const line of previewLines(preview)) io.out(line);
    return;
  }
  const say = opts.json ? io.err : io.out;
  const started = await api.post<DeploymentRun>("deployments", request);
  say(`deploying release ${started.release ?? release} to ${started.environment} at ${api.where}: deployment ${started.id} (the server runs it; Ctrl-C stops following, not the deployment)`);
  const run = await follow(api, started.id, say);
  if (run.status !== "succeeded") {
    throw new DeploymentFailedError(run.error?.message ?? `Deployment ${run.id} of release ${release} to ${run.environment} ended ${run.status}.`, run.error?.hint ?? `\`slipway history --env ${run.environment}\` shows what happened.`);
  }
  if (opts.json) io.out(JSON.stringify(run, null, 2));
  else io.out(`release ${run.release ?? release} is deployed to ${run.environment} (deployment ${run.id})`);
}

/** `slipway deploy` through a server. */
export const deployAction = (io: Output) => (release: string, opts: DeployOptions) => deployThroughServer(release, io, opts);

/** `slipway promote` through a server: without --to, the server picks the next environment of the lifecycle. */
export const promoteAction = (io: Output) => (release: string, opts: DeployOptions) => deployThroughServer(release, io, opts);
