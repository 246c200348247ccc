import { decideGate, expireGate, expiryOf, gateToDecide, type Approvals, type DecideRequest, type Decision, type Gate, type GateKey, type NewGate, type Outcome } from "../../engine/approvals.js";
import { checkDeploymentId } from "../../engine/deployment-id.js";
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
    const gate = gateToDecide(request, await this.gatesOf(request.deploymentId));
    return decideGate(gate, request, this.now(), (decision) => this.record(decision));
  }

  async expire(key: GateKey): Promise<Decision> {
    return expireGate(await this.get(key), this.now(), (decision) => this.record(decision), key);
  }

  async list(filter: { open?: boolean } = {}): Promise<Gate[]> {
    const rows = await this.db.query<GateRow>(`select ${columns} from approval_gates where project = $1${filter.open ? " and outcome is null" : ""} order by opened_at, opening_order`, [this.project]);
    return rows.map(gateOf);
  }
}
