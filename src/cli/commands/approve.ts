import { userInfo } from "node:os";
import type { Command } from "commander";
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

export function withProject(command: Command): Command {
  return command.option("--project <file>", "the project file; its store (.slipway/ beside it, or DATABASE_URL) holds the gates", "slipway.yaml");
}

interface DecideOptions extends ApprovalsOptions {
  stage?: string;
  as?: string;
  reason?: string;
}

/** The options of a decision, `slipway approve` and `slipway abort` alike: which gate, who, why. */
export function decisionOptions(command: Command, who: string): Command {
  return command
    .option("--stage <stage>", "which gate, when the deployment has several waiting (default: its only waiting one)")
    .option("--as <name>", `who ${who} (default: $USER)`)
    .option("--reason <text>", "why, for the record");
}

/** Decides the deployment's gate as `by` with the command's options, records it (event, audit) and says so. */
export async function decideFromCli(store: Store, io: Output, deploymentId: string, verdict: Verdict, by: string, opts: Pick<DecideOptions, "stage" | "reason">): Promise<void> {
  const request: DecideRequest = { deploymentId, verdict, by, ...loginOf(), ...(opts.stage !== undefined && { stage: opts.stage }), ...(opts.reason !== undefined && { reason: opts.reason }) };
  const decided = await store.approvals.decide(request);
  await store.events.append(decisionEvent(decided));
  await store.audit.record({ actor: cliActor(), action: `gate.${verdict === "approved" ? "approve" : "abort"}`, subject: deploymentId, detail: { stage: decided.stage, as: by } });
  io.out(`${decided.outcome} "${decided.stage}" of deployment ${decided.deploymentId} as ${decided.by}${decided.reason ? `: ${decided.reason}` : ""}`);
}

/** `slipway approve <deployment>`: the waiting deployment goes ahead. */
export function registerApprove(program: Command, io: Output): void {
  decisionOptions(withProject(program.command("approve")), "approves")
    .description("approve a deployment waiting at a manual intervention gate: it goes ahead")
    .argument("<deployment>", "the deployment id (slipway approvals lists the waiting ones)")
    .action(async (deploymentId: string, opts: DecideOptions) => {
      const by = deciderName(opts.as);
      await withStore(opts.project, (store) => decideFromCli(store, io, deploymentId, "approved", by, opts));
    });
}
