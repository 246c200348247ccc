import { DeploymentFailedError, InputError } from "../../errors.js";
import type { DeploymentRun } from "../../releases/deployment-run.js";
import type { Output } from "../output.js";
import { connect } from "./connect.js";
import { follow } from "./follow.js";
import { refusePollInterval, type ServerOptions } from "./server-option.js";

interface RollbackOptions extends ServerOptions {
  project: string;
  env: string;
  to?: string;
  pollInterval?: string;
}

/**
 * `slipway rollback --env` through a server: the server deploys the last good release there (or --to) in place of
 * the one it runs, or aborts the deployment unfinished there; this command follows it to the end.
 */
export const rollbackAction = (io: Output) =>
  async (stepFile: string | undefined, opts: RollbackOptions) => {
    if (stepFile !== undefined) {
      throw new InputError("`slipway rollback <service-step-file>` returns one service with your own AWS credentials, not through a server.", `Leave out --server (and SLIPWAY_SERVER) for it, or leave out the step file to roll the whole environment back through the server: slipway rollback --env ${opts.env}.`);
    }
    refusePollInterval(opts);
    const { api } = await connect(opts);
    const run = await api.post<DeploymentRun>(`environments/${encodeURIComponent(opts.env)}/rollback`, opts.to === undefined ? {} : { to: opts.to });
    const replaces = run.kind === "deploy" ? run.replaces : undefined;
    if (replaces !== undefined) io.out(`rolling ${opts.env} back from release ${replaces} to ${run.release ?? "?"} at ${api.where}: deployment ${run.id} (the server runs it; Ctrl-C stops following, not the rollback)`);
    else io.out(`deployment ${run.id} of release ${run.release ?? "?"} is unfinished in ${opts.env}: the server aborts it — its services go back to what ran before, traffic at once`);
    const ended = await follow(api, run.id, io.out);
    if (replaces !== undefined && ended.status === "succeeded") {
      io.out(`${opts.env} runs release ${ended.release ?? "?"} again (rolled back from ${replaces}; deployment ${ended.id})`);
      return;
    }
    if (replaces === undefined && (ended.status === "rolled-back" || ended.status === "aborted")) {
      io.out(`${opts.env} runs what it ran before again (deployment ${ended.id} of release ${ended.release ?? "?"} rolled back)`);
      return;
    }
    throw new DeploymentFailedError(ended.error?.message ?? `The rollback of ${opts.env} (deployment ${ended.id}) ended ${ended.status}.`, ended.error?.hint ?? `\`slipway history --env ${opts.env}\` shows what happened.`);
  };
