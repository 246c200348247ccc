import { userInfo } from "node:os";
import type { DecideRequest, Verdict } from "../../engine/approvals.js";
import type { Store } from "../../engine/store.js";
import { InputError } from "../../errors.js";
import { decisionEvent } from "../../releases/decision-event.js";
import type { Output } from "../output.js";
import { cliActor, withStore } from "./project-store.js";

export interface ApprovalsOptions {
  project: string;
}


/** Who is deciding: --as, else the login name. */
export function deciderName(as: string | undefined): string {
  const name = as ?? process.env.USER ?? process.env.USERNAME ?? safeLoginName();
  if (!name || name.trim() === "") throw new InputError("slipway cannot tell who you are.", "Say it with --as <name>.");
  return name;
}

/** The login that ran the command, recorded beside the name the decider gives. */
function loginOf(): { login?: string } {
  const login = safeLoginName();
  return login ? { login } : {};
}

function safeLoginName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}


interface DecideOptions extends ApprovalsOptions {
  stage?: string;
  as?: string;
  reason?: string;
}


/** Decides the deployment's gate as `by` with the command's options, records it (event, audit) and says so. */
export async function decideFromCli(store: Store, io: Output, deploymentId: string, verdict: Verdict, by: string, opts: Pick<DecideOptions, "stage" | "reason">): Promise<void> {
  const request: DecideRequest = { deploymentId, verdict, by, ...loginOf(), ...(opts.stage !== undefined && { stage: opts.stage }), ...(opts.reason !== undefined && { reason: opts.reason }) };
  const decided = await store.approvals.decide(request);
  await store.events.append(decisionEvent(decided));
  await store.audit.record({ actor: cliActor(), action: `gate.${verdict === "approved" ? "approve" : "abort"}`, subject: deploymentId, detail: { stage: decided.stage, as: by } });
  io.out(`${decided.outcome} "${decided.stage}" of deployment ${decided.deploymentId} as ${decided.by}${decided.reason ? `: ${decided.reason}` : ""}`);
}

/** The action of `approve` (its definition, loaded at start, is in approve-command.ts). */
export const approveAction = (io: Output) =>
  async (deploymentId: string, opts: DecideOptions) => {
    const by = deciderName(opts.as);
    await withStore(opts.project, (store) => decideFromCli(store, io, deploymentId, "approved", by, opts));
  };
