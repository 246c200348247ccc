import type { EnvironmentHistory } from "../../api/views/history.js";
import { InputError } from "../../errors.js";
import type { ProjectStatus } from "../../releases/status.js";
import type { Output } from "../output.js";
import { environmentHistoryLines } from "../commands/environment-history-lines.js";
import { statusLines } from "../commands/status-lines.js";
import { connect } from "./connect.js";
import type { ServerOptions } from "./server-option.js";

/** `slipway status` through a server. */
export const statusAction = (io: Output) =>
  async (opts: ServerOptions & { project: string; json?: boolean }) => {
    const { api } = await connect(opts);
    const status = await api.get<ProjectStatus>("status");
    if (opts.json) io.out(JSON.stringify(status, null, 2));
    else for (const line of statusLines(status)) io.out(line);
  };

/** `slipway history --env` through a server; a service's own ECS history needs its step file and AWS, so stays local. */
export const historyAction = (io: Output) =>
  async (stepFile: string | undefined, opts: ServerOptions & { project: string; env: string; json?: boolean; limit: string }) => {
    if (stepFile !== undefined) {
      throw new InputError("`slipway history <service-step-file>` reads the service's deployments from ECS with your own AWS credentials, not through a server.", "Leave out --server (and SLIPWAY_SERVER) for it, or leave out the step file for the environment's history from the server.");
    }
    const limit = Math.max(1, Number(opts.limit) || 20);
    const { api } = await connect(opts);
    const history = await api.get<EnvironmentHistory>(`environments/${encodeURIComponent(opts.env)}/history?limit=${limit}`);
    if (opts.json) io.out(JSON.stringify(history, null, 2));
    else for (const line of environmentHistoryLines(opts.env, history)) io.out(line);
  };
