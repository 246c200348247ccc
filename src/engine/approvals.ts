import { setTimeout as sleep } from "node:timers/promises";
import { ConflictError, InputError, NotFoundError } from "../errors.js";

/**
 * Manual intervention: a deployment opens a gate and waits; a person approves or aborts it — often from another
 * terminal or process — saying who and why; a gate nobody decides in time aborts itself, recorded as timed out.
 * Storage sits behind the Approvals port (a file now, a database later).
 */

/** What a person decides. */
export type Verdict = "approved" | "aborted";
/** What is recorded: a person's verdict, or the timeout's. */
export type Outcome = Verdict | "timed-out";

export interface GateKey {
  deploymentId: string;
  /** Which gate of the deployment, e.g. "canary 10%" or the manual intervention step's name. */
  stage: string;
}

export interface NewGate extends GateKey {
  /** One line for people: what they are deciding. */
  summary: string;
  /** What to check before deciding; shown by `slipway approvals`. */
  instructions?: string;
  /** Seconds from opening until the gate aborts itself. Absent: it waits for a person however long it takes. */
  timeoutSeconds?: number;
  /** Who may decide; empty or absent: anyone. */
  approvers?: string[];
}

export interface Decision extends GateKey {
  outcome: Outcome;
  /** A person's name, or "slipway" for a timeout. */
  by: string;
  /**
   * The operating-system login that ran the command, kept beside `by` because `by` is what the decider says
   * (--as): approvers lists are a convention among colleagues, not access control, and the record shows both.
   */
  login?: string;
  reason?: string;
  /** ISO 8601. */
  at: string;
}

/**
 * A gate keeps slipway's clock (this machine's), not AWS's like the rest of a deployment's stamps: its deadline is
 * a person's time to decide, which must not run out sixty times faster because a simulator runs fast.
 */
export interface Gate extends NewGate {
  /** ISO 8601, slipway's clock. */
  openedAt: string;
  /** ISO 8601, when timeoutSeconds is set. */
  expiresAt?: string;
  /** Absent while the gate is open. */
  decision?: Decision;
}

export interface DecideRequest {
  deploymentId: string;
  /** Optional when the deployment has exactly one open gate. */
  stage?: string;
  verdict: Verdict;
  by: string;
  /** The operating-system login that ran the command. */
  login?: string;
  reason?: string;
}

export interface Approvals {
  /**
   * Opens a gate, or returns it as it stands when it was opened before (a deployment resuming after a crash
   * finds a decision made while it was down).
   */
  open(gate: NewGate): Promise<Gate>;
  /**
   * Records a person's verdict. The first decision wins: a later one gets a ConflictError naming who decided
   * first. ConflictError for a deployment or stage with no gate; InputError when `by` is not an approver.
   */
  decide(request: DecideRequest): Promise<Decision>;
  /** Records that nobody decided in time, unless someone just did: returns whichever decision came first. */
  expire(key: GateKey): Promise<Decision>;
  get(key: GateKey): Promise<Gate | undefined>;
  /** Every gate, oldest first; `open: true` only those still waiting for a decision. */
  list(filter?: { open?: boolean }): Promise<Gate[]>;
}

export interface WaitOptions {
  /** How often to look for a decision. Default 1000 ms: a person waits at most that long after deciding. */
  pollIntervalMs?: number;
  now?: () => Date;
  /** Aborting the signal (Ctrl-C) stops waiting without deciding: the gate stays open for a rerun. */
  signal?: AbortSignal;
}

/** Polls until the gate is decided or expires (recording the timeout); returns the decision. */
export async function waitForDecision(approvals: Approvals, key: GateKey, options: WaitOptions = {}): Promise<Decision> {
  const now = options.now ?? (() => new Date());
  const interval = options.pollIntervalMs ?? 1000;
  for (;;) {
    const gate = await approvals.get(key);
    if (!gate) throw new Error(`waitForDecision: no gate ${key.deploymentId}/${key.stage}`);
    if (gate.decision) return gate.decision;
    if (gate.expiresAt && now().getTime() >= Date.parse(gate.expiresAt)) return approvals.expire(key);
    await sleep(interval, undefined, options.signal ? { signal: options.signal } : {});
  }
}

export function expiryOf(openedAt: Date, timeoutSeconds: number | undefined): string | undefined {
  return timeoutSeconds === undefined ? undefined : new Date(openedAt.getTime() + timeoutSeconds * 1000).toISOString();
}

export function describeDecision(d: Decision): string {
  const what = d.outcome === "timed-out" ? "timed out" : d.outcome;
  return `${what} by ${d.by} at ${d.at}${d.reason ? `: ${d.reason}` : ""}`;
}

/**
 * Where gates go when the caller gave nowhere to keep them (a step run on its own, outside slipway's commands):
 * reaching a gate is then a clear error rather than a gate nobody can find to decide.
 */
export const noApprovals: Approvals = {
  open: () => Promise.reject(new InputError("This deployment reached an approval gate, but it was run without a store to keep gates in.", "Run it with slipway deploy or slipway service deploy, which keep gates in the project's store where slipway approve finds them.")),
  decide: () => Promise.reject(new NotFoundError("There are no approval gates here.", "Gates are kept in the project's store.")),
  expire: () => Promise.reject(new NotFoundError("There are no approval gates here.", "Gates are kept in the project's store.")),
  get: () => Promise.resolve(undefined),
  list: () => Promise.resolve([]),
};

/**
 * Which of a deployment's gates (oldest first) a decision is about: the stage named, else the only one waiting.
 * Pure, shared by every Approvals store so they tell people the same thing.
 */
export function gateToDecide(request: Pick<DecideRequest, "deploymentId" | "stage">, gates: readonly Gate[]): Gate {
  // The gate a person means does not exist (yet): a conflict with where the deployment stands, which may change
  // when it reaches one — not a missing deployment.
  if (gates.length === 0) throw new ConflictError(`Deployment ${request.deploymentId} has no approval gate.`, "Check the deployment id; `slipway approvals` lists the gates waiting for a decision.");
  if (request.stage !== undefined) {
    const gate = gates.find((g) => g.stage === request.stage);
    if (gate) return gate;
    throw new ConflictError(`Deployment ${request.deploymentId} has no gate "${request.stage}".`, `Its gates are: ${gates.map((g) => g.stage).join(", ")}.`);
  }
  const waiting = gates.filter((g) => !g.decision);
  if (waiting.length === 1) return waiting[0] as Gate;
  if (waiting.length > 1) throw new InputError(`Deployment ${request.deploymentId} has ${waiting.length} gates waiting: ${waiting.map((g) => g.stage).join(", ")}.`, "Name the one you decide with --stage.");
  // Nothing waiting: the newest gate is the one the person most likely means, and it is already decided.
  return gates.at(-1) as Gate;
}

/** How a store writes a decision: only if the gate has none yet, returning whichever decision it has afterwards. */
export type RecordDecision = (decision: Decision) => Promise<{ first: Decision; ours: boolean }>;

/**
 * The rules of deciding a gate, over any storage: the first decision stands (a later one is a ConflictError naming
 * it), an expired gate is recorded as timed out, and only a listed approver may decide.
 */
export async function decideGate(gate: Gate, request: DecideRequest, now: Date, record: RecordDecision): Promise<Decision> {
  const key = { deploymentId: gate.deploymentId, stage: gate.stage };
  const already = (first: Decision) => new ConflictError(`The gate "${gate.stage}" of deployment ${gate.deploymentId} was already decided: ${describeDecision(first)}.`, "The first decision stands; start a new deployment to change course.");
  if (gate.decision) throw already(gate.decision);
  if (gate.expiresAt && now.getTime() >= Date.parse(gate.expiresAt)) throw already(await expireGate(gate, now, record));
  if (gate.approvers && gate.approvers.length > 0 && !gate.approvers.includes(request.by)) {
    throw new InputError(`${request.by} may not decide the gate "${gate.stage}" of deployment ${gate.deploymentId}.`, `Its approvers are: ${gate.approvers.join(", ")}. Say who you are with --as <name>.`);
  }
  const decision: Decision = { ...key, outcome: request.verdict, by: request.by, ...(request.login !== undefined && { login: request.login }), ...(request.reason !== undefined && { reason: request.reason }), at: now.toISOString() };
  const { first, ours } = await record(decision);
  if (!ours) throw already(first);
  return decision;
}

/** Records that nobody decided the gate in time, unless someone did: returns whichever decision came first. */
export async function expireGate(gate: Gate | undefined, now: Date, record: RecordDecision, key?: GateKey): Promise<Decision> {
  if (!gate) throw new NotFoundError(`Deployment ${key?.deploymentId ?? "?"} has no gate "${key?.stage ?? "?"}".`, "Check the deployment id; `slipway approvals` lists the gates waiting for a decision.");
  if (gate.decision) return gate.decision;
  const reason = gate.timeoutSeconds !== undefined ? `no decision within ${gate.timeoutSeconds}s` : "no decision in time";
  return (await record({ deploymentId: gate.deploymentId, stage: gate.stage, outcome: "timed-out", by: "slipway", reason, at: now.toISOString() })).first;
}
