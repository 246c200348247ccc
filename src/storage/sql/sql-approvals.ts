import { describeDecision, expiryOf, type Approvals, type DecideRequest, type Decision, type Gate, type GateKey, type NewGate, type Outcome } from "../../engine/approvals.js";
import { checkDeploymentId } from "../../engine/deployment-id.js";
import { ConflictError, InputError, NotFoundError } from "../../errors.js";
import type { SqlDatabase } from "./database.js";
import { isoOf, jsonParam, optionalIsoOf, parsedJson } from "./row-values.js";

interface GateRow {
  deployment_id: string;
  stage: string;
  summary: string;
  instructions: string | null;
  timeout_seconds: number | null;
  approvers: string | null;
  opened_at: Date;
  expires_at: Date | null;
  outcome: Outcome | null;
  decided_by: string | null;
  decided_login: string | null;
  decision_reason: string | null;
  decided_at: Date | null;
}

const columns = "deployment_id, stage, summary, instructions, timeout_seconds, approvers::text as approvers, opened_at, expires_at, outcome, decided_by, decided_login, decision_reason, decided_at";

function gateOf(row: GateRow): Gate {
  const expiresAt = optionalIsoOf(row.expires_at);
  const decision: Decision | undefined =
    row.outcome === null
      ? undefined
      : {
          deploymentId: row.deployment_id,
          stage: row.stage,
          outcome: row.outcome,
          by: row.decided_by ?? "",
          ...(row.decided_login !== null && { login: row.decided_login }),
          ...(row.decision_reason !== null && { reason: row.decision_reason }),
          at: isoOf(row.decided_at),
        };
  return {
    deploymentId: row.deployment_id,
    stage: row.stage,
    summary: row.summary,
    ...(row.instructions !== null && { instructions: row.instructions }),
    ...(row.timeout_seconds !== null && { timeoutSeconds: Number(row.timeout_seconds) }),
    ...(row.approvers !== null && { approvers: parsedJson<string[]>(row.approvers) }),
    openedAt: isoOf(row.opened_at),
    ...(expiresAt && { expiresAt }),
    ...(decision && { decision }),
  };
}

/**
 * Approval gates as rows, a gate and its decision in one: the waiting deployment and `slipway approve` are
 * different processes, and the first decision wins because a decision is written only `where outcome is null`
 * — of two deciders at once, the database lets exactly one write, and the other is told who decided first.
 * Messages and behaviour are FileApprovals'.
 */
export class SqlApprovals implements Approvals {
  constructor(
    private readonly db: SqlDatabase,
    private readonly project: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(key: GateKey): Promise<Gate | undefined> {
    checkDeploymentId(key.deploymentId);
    const [row] = await this.db.query<GateRow>(`select ${columns} from approval_gates where project = $1 and deployment_id = $2 and stage = $3`, [this.project, key.deploymentId, key.stage]);
    return row && gateOf(row);
  }

  async open(gate: NewGate): Promise<Gate> {
    checkDeploymentId(gate.deploymentId);
    const openedAt = this.now();
    // A gate opened before stays as it was, decision and all: a deployment resuming after a crash finds it so.
    await this.db.query(
      `insert into approval_gates (project, deployment_id, stage, summary, instructions, timeout_seconds, approvers, opened_at, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9)
       on conflict (project, deployment_id, stage) do nothing`,
      [this.project, gate.deploymentId, gate.stage, gate.summary, gate.instructions ?? null, gate.timeoutSeconds ?? null, jsonParam(gate.approvers), openedAt.toISOString(), expiryOf(openedAt, gate.timeoutSeconds) ?? null],
    );
    const opened = await this.get(gate);
    if (!opened) throw new Error(`approval gate ${gate.deploymentId}/${gate.stage} vanished after it was opened`);
    return opened;
  }

  private async gatesOf(deploymentId: string): Promise<Gate[]> {
    checkDeploymentId(deploymentId);
    const rows = await this.db.query<GateRow>(`select ${columns} from approval_gates where project = $1 and deployment_id = $2 order by opening_order`, [this.project, deploymentId]);
    return rows.map(gateOf);
  }

  private async gateFor(request: DecideRequest): Promise<Gate> {
    const gates = await this.gatesOf(request.deploymentId);
    if (gates.length === 0) throw new NotFoundError(`Deployment ${request.deploymentId} has no approval gate.`, "Check the deployment id; `slipway approvals` lists the gates waiting for a decision.");
    if (request.stage !== undefined) {
      const gate = gates.find((g) => g.stage === request.stage);
      if (gate) return gate;
      throw new NotFoundError(`Deployment ${request.deploymentId} has no gate "${request.stage}".`, `Its gates are: ${gates.map((g) => g.stage).join(", ")}.`);
    }
    const waiting = gates.filter((g) => !g.decision);
    if (waiting.length === 1) return waiting[0] as Gate;
    if (waiting.length > 1) throw new InputError(`Deployment ${request.deploymentId} has ${waiting.length} gates waiting: ${waiting.map((g) => g.stage).join(", ")}.`, "Name the one you decide with --stage.");
    // Nothing waiting: the newest gate is the one the person most likely means, and it is already decided.
    return gates.at(-1) as Gate;
  }

  /** Writes the decision if the gate has none yet; returns whichever decision the gate has afterwards. */
  private async record(decision: Decision): Promise<{ first: Decision; ours: boolean }> {
    const written = await this.db.query(
      `update approval_gates set outcome = $4, decided_by = $5, decided_login = $6, decision_reason = $7, decided_at = $8
        where project = $1 and deployment_id = $2 and stage = $3 and outcome is null
        returning stage`,
      [this.project, decision.deploymentId, decision.stage, decision.outcome, decision.by, decision.login ?? null, decision.reason ?? null, decision.at],
    );
    if (written.length > 0) return { first: decision, ours: true };
    return { first: (await this.get(decision))?.decision ?? decision, ours: false };
  }

  async decide(request: DecideRequest): Promise<Decision> {
    const gate = await this.gateFor(request);
    const key = { deploymentId: gate.deploymentId, stage: gate.stage };
    const already = (first: Decision) => new ConflictError(`The gate "${gate.stage}" of deployment ${gate.deploymentId} was already decided: ${describeDecision(first)}.`, "The first decision stands; start a new deployment to change course.");
    if (gate.decision) throw already(gate.decision);
    if (gate.expiresAt && this.now().getTime() >= Date.parse(gate.expiresAt)) throw already(await this.expire(key));
    if (gate.approvers && gate.approvers.length > 0 && !gate.approvers.includes(request.by)) {
      throw new InputError(`${request.by} may not decide the gate "${gate.stage}" of deployment ${gate.deploymentId}.`, `Its approvers are: ${gate.approvers.join(", ")}. Say who you are with --as <name>.`);
    }
    const decision: Decision = { ...key, outcome: request.verdict, by: request.by, ...(request.login !== undefined && { login: request.login }), ...(request.reason !== undefined && { reason: request.reason }), at: this.now().toISOString() };
    const { first, ours } = await this.record(decision);
    if (!ours) throw already(first);
    return decision;
  }

  async expire(key: GateKey): Promise<Decision> {
    const gate = await this.get(key);
    if (!gate) throw new NotFoundError(`Deployment ${key.deploymentId} has no gate "${key.stage}".`, "Check the deployment id; `slipway approvals` lists the gates waiting for a decision.");
    if (gate.decision) return gate.decision;
    const reason = gate.timeoutSeconds !== undefined ? `no decision within ${gate.timeoutSeconds}s` : "no decision in time";
    return (await this.record({ ...key, outcome: "timed-out", by: "slipway", reason, at: this.now().toISOString() })).first;
  }

  async list(filter: { open?: boolean } = {}): Promise<Gate[]> {
    const rows = await this.db.query<GateRow>(`select ${columns} from approval_gates where project = $1${filter.open ? " and outcome is null" : ""} order by opened_at, opening_order`, [this.project]);
    return rows.map(gateOf);
  }
}
