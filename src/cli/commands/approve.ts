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

/** One command per verdict, same options: which gate, who, why. */
export function registerDecision(program: Command, io: Output, name: string, verdict: Verdict, description: string): void {
  withProject(program.command(name))
    .description(description)
    .argument("<deployment>", "the deployment id (slipway approvals lists the waiting ones)")
    .option("--stage <stage>", "which gate, when the deployment has several waiting (default: its only waiting one)")
    .option("--as <name>", "who decides (default: $USER)")
    .option("--reason <text>", "why, for the record")
    .action(async (deploymentId: string, opts: DecideOptions) => {
      const by = deciderName(opts.as);
      await withStore(opts.project, (store) => decideGate(store, io, { deploymentId, verdict, by, ...(opts.stage !== undefined && { stage: opts.stage }), ...(opts.reason !== undefined && { reason: opts.reason }) }));
    });
}

/** Decides the deployment's gate as `by`, records it (event, audit) and says so. */
export async function decideGate(store: Store, io: Output, request: Omit<DecideRequest, "login">): Promise<void> {
  const decided = await store.approvals.decide({ ...request, ...loginOf() });
  await store.events.append(decisionEvent(decided));
  await store.audit.record({ actor: cliActor(), action: `gate.${request.verdict === "approved" ? "approve" : "abort"}`, subject: request.deploymentId, detail: { stage: decided.stage, as: request.by } });
  io.out(`${decided.outcome} "${decided.stage}" of deployment ${decided.deploymentId} as ${decided.by}${decided.reason ? `: ${decided.reason}` : ""}`);
}

/** `slipway approve <deployment>`: the waiting deployment goes ahead. */
export function registerApprove(program: Command, io: Output): void {
  registerDecision(program, io, "approve", "approved", "approve a deployment waiting at a manual intervention gate: it goes ahead");
}
