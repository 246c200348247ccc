import type { Decision } from "../../engine/approvals.js";
import { InputError } from "../../errors.js";
import type { Output } from "../output.js";
import { connect } from "./connect.js";
import type { ServerOptions } from "./server-option.js";

interface DecideOptions extends ServerOptions {
  project: string;
  stage?: string;
  as?: string;
  reason?: string;
}

/** The server records the key's name as the decider: a name given with --as would not be what the audit log says. */
function refuseAs(opts: DecideOptions): void {
  if (opts.as === undefined) return;
  throw new InputError("--as cannot be used through a server: the server records the API key's name as who decided.", "Leave out --as, or use a key named for the person (`slipway keys create <name> --approve <env>`).");
}

const body = (opts: DecideOptions) => ({ ...(opts.stage !== undefined && { stage: opts.stage }), ...(opts.reason !== undefined && { reason: opts.reason }) });

const decidedLine = (id: string, d: Decision) => `${d.outcome} "${d.stage}" of deployment ${id} as ${d.by}${d.reason ? `: ${d.reason}` : ""}`;

/** `slipway approve` through a server. */
export const approveAction = (io: Output) =>
  async (id: string, opts: DecideOptions) => {
    refuseAs(opts);
    const { api } = await connect(opts);
    const answer = await api.post<{ deployment: string; decision: Decision }>(`deployments/${encodeURIComponent(id)}/approve`, body(opts));
    io.out(decidedLine(answer.deployment, answer.decision));
  };

/**
 * `slipway abort` through a server: the gate is decided "aborted", or with no gate open the server's runner stops
 * the deployment at its next safe point and rolls back what it changed — the server carries that out, whatever
 * becomes of this runner.
 */
export const abortAction = (io: Output) =>
  async (id: string, opts: DecideOptions) => {
    refuseAs(opts);
    const { api } = await connect(opts);
    const answer = await api.post<{ deployment: string; decision?: Decision; abortRequested?: boolean }>(`deployments/${encodeURIComponent(id)}/abort`, body(opts));
    if (answer.decision) io.out(decidedLine(answer.deployment, answer.decision));
    else io.out(`abort requested: deployment ${answer.deployment} stops at its next safe point and the server rolls back what it changed; \`slipway status\` shows when it has`);
  };
