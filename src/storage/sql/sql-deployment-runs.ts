import { checkDeploymentId } from "../../engine/deployment-id.js";
import type { AbortRequest, DeploymentRuns, RunnerIdentity } from "../../engine/store.js";
import { ConflictError, NotFoundError } from "../../errors.js";
import { finalStatuses, type DeploymentRun, type DeploymentRunKind, type DeploymentRunStatus, type NewDeploymentRun, type RollbackChange } from "../../releases/deployment-run.js";
import { sqlState, sqlStateOf, type SqlDatabase } from "./database.js";
import { isoOf, jsonParam, optionalIsoOf, parsedJson } from "./row-values.js";

interface RunRow {
  project: string;
  id: string;
  kind: DeploymentRunKind;
  release: string | null;
  environment: string;
  status: DeploymentRunStatus;
  requested_by: string;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  runner: string | null;
  error: string | null;
  outputs: string;
  rollback: string | null;
  replaces: string | null;
}

/** What the rollback column holds: the change without the "to" release, which is the release column. */
type StoredRollback = Omit<RollbackChange, "to"> & { to: { taskDefinition: string } };

const columns = "project, id, kind, release, environment, status, requested_by, created_at, started_at, ended_at, runner::text as runner, error::text as error, outputs::text as outputs, rollback::text as rollback, replaces";

function runOf(row: RunRow): DeploymentRun {
  const startedAt = optionalIsoOf(row.started_at);
  const endedAt = optionalIsoOf(row.ended_at);
  const common = {
    id: row.id,
    project: row.project,
    environment: row.environment,
    status: row.status,
    requestedBy: row.requested_by,
    createdAt: isoOf(row.created_at),
    ...(startedAt && { startedAt }),
    ...(endedAt && { endedAt }),
    ...(row.runner !== null && { runner: parsedJson<RunnerIdentity>(row.runner) }),
    ...(row.error !== null && { error: parsedJson<{ message: string; hint?: string }>(row.error) }),
    outputs: parsedJson<Record<string, unknown>>(row.outputs) ?? {},
  };
  if (row.kind === "deploy") return { ...common, kind: "deploy", release: row.release as string, ...(row.replaces !== null && { replaces: row.replaces }) };
  const stored = parsedJson<StoredRollback>(row.rollback as string) as StoredRollback;
  const release = row.release ?? undefined;
  return {
    ...common,
    kind: "rollback",
    ...(release !== undefined && { release }),
    rollback: { ...stored, to: { taskDefinition: stored.to.taskDefinition, ...(release !== undefined && { release }) } },
  };
}

/** The row's kind, release and rollback columns for a new run. */
function kindColumns(run: NewDeploymentRun): [DeploymentRunKind, string | null, string | null] {
  if (run.kind !== "rollback") return ["deploy", run.release, null];
  const { to, ...rest } = run.rollback;
  const stored: StoredRollback = { ...rest, to: { taskDefinition: to.taskDefinition } };
  return ["rollback", to.release ?? null, jsonParam(stored)];
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`There is no deployment ${id}.`, "Check the id; `slipway status` shows the deployments of each environment.");
}

/** Deployments to environments (of releases, and rollbacks): created queued, then updated by the process that runs them. */
export class SqlDeploymentRuns implements DeploymentRuns {
  constructor(
    private readonly db: SqlDatabase,
    private readonly project: string,
  ) {}

  async create(run: NewDeploymentRun): Promise<DeploymentRun> {
    checkDeploymentId(run.id);
    const [kind, release, rollback] = kindColumns(run);
    try {
      const [row] = await this.db.query<RunRow>(
        `insert into deployment_runs (project, id, kind, release, environment, status, requested_by, rollback, replaces) values ($1, $2, $3, $4, $5, 'queued', $6, $7::text::jsonb, $8) returning ${columns}`,
        [this.project, run.id, kind, release, run.environment, run.requestedBy, rollback, run.kind === "rollback" ? null : (run.replaces ?? null)],
      );
      return runOf(row as RunRow);
    } catch (error) {
      const state = sqlStateOf(error);
      if (state === sqlState.uniqueViolation) throw new ConflictError(`Deployment ${run.id} already exists.`, "Start a new deployment: each gets a new id.");
      if (state === sqlState.foreignKeyViolation) throw new NotFoundError(`There is no release ${release ?? "(none)"} to deploy.`, "Create it first with `slipway release create <version>`.");
      throw error;
    }
  }

  async get(id: string): Promise<DeploymentRun | undefined> {
    const [row] = await this.db.query<RunRow>(`select ${columns} from deployment_runs where project = $1 and id = $2`, [this.project, id]);
    return row && runOf(row);
  }

  async list(filter: { environment?: string; release?: string; status?: DeploymentRunStatus[]; limit?: number } = {}): Promise<DeploymentRun[]> {
    const params: unknown[] = [this.project];
    const where = ["project = $1"];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.environment !== undefined) where.push(`environment = ${param(filter.environment)}`);
    if (filter.release !== undefined) where.push(`release = ${param(filter.release)}`);
    if (filter.status !== undefined) where.push(filter.status.length === 0 ? "false" : `status in (${filter.status.map(param).join(", ")})`);
    const limit = filter.limit !== undefined ? ` limit ${param(filter.limit)}` : "";
    const rows = await this.db.query<RunRow>(`select ${columns} from deployment_runs where ${where.join(" and ")} order by creation_order desc${limit}`, params);
    return rows.map(runOf);
  }

  /**
   * A final status stamps endedAt (unless given). Outputs given are merged over those recorded, by step name.
   * The error given is recorded; a run that runs again (resumed) drops the error of the attempt before.
   */
  async update(id: string, change: { status: DeploymentRunStatus; error?: { message: string; hint?: string }; outputs?: Record<string, unknown>; startedAt?: string; endedAt?: string; runner?: RunnerIdentity }): Promise<DeploymentRun> {
    const final = finalStatuses.includes(change.status);
    const [row] = await this.db.query<RunRow>(
      `update deployment_runs set
         status = $3,
         error = case when $4::text is not null then $4::text::jsonb when $3 = 'running' then null else error end,
         outputs = case when $5::text is null then outputs else outputs || $5::text::jsonb end,
         started_at = coalesce($6::timestamptz, started_at),
         ended_at = coalesce($7::timestamptz, case when $8::boolean then now() else ended_at end),
         runner = coalesce($9::text::jsonb, runner)
       where project = $1 and id = $2
       returning ${columns}`,
      [this.project, id, change.status, jsonParam(change.error), jsonParam(change.outputs), change.startedAt ?? null, change.endedAt ?? null, final, jsonParam(change.runner)],
    );
    if (!row) throw notFound(id);
    return runOf(row);
  }

  /** The first request stands: asking again changes nothing. */
  async requestAbort(id: string, request: AbortRequest): Promise<void> {
    // Who, why and when go together: a second request changes none of them.
    const rows = await this.db.query(
      `update deployment_runs set abort_requested_by = coalesce(abort_requested_by, $3),
          abort_reason = case when abort_requested_by is null then $4 else abort_reason end,
          abort_requested_at = coalesce(abort_requested_at, now())
        where project = $1 and id = $2 returning id`,
      [this.project, id, request.by, request.reason ?? null],
    );
    if (rows.length === 0) throw notFound(id);
  }

  async abortRequested(id: string): Promise<(AbortRequest & { at: string }) | undefined> {
    const [row] = await this.db.query<{ abort_requested_by: string | null; abort_reason: string | null; abort_requested_at: Date | string | null }>(
      `select abort_requested_by, abort_reason, abort_requested_at from deployment_runs where project = $1 and id = $2`,
      [this.project, id],
    );
    if (!row?.abort_requested_by) return undefined;
    return { by: row.abort_requested_by, ...(row.abort_reason !== null && { reason: row.abort_reason }), at: isoOf(row.abort_requested_at) };
  }
}
