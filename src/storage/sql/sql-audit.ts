import type { AuditEntry, AuditLog } from "../../engine/store.js";
import type { SqlDatabase } from "./database.js";
import { isoOf, jsonParam, numberOf, parsedJson } from "./row-values.js";

interface AuditRow {
  id: string | number;
  at: Date;
  actor: string;
  action: string;
  environment: string | null;
  subject: string;
  detail: string | null;
}

const columns = "id, at, actor, action, environment, subject, detail::text as detail";

function entryOf(row: AuditRow): AuditEntry {
  return {
    id: numberOf(row.id),
    at: isoOf(row.at),
    actor: row.actor,
    action: row.action,
    ...(row.environment !== null && { environment: row.environment }),
    subject: row.subject,
    ...(row.detail !== null && { detail: parsedJson(row.detail) }),
  };
}

/** Who wrote what, appended only. */
export class SqlAuditLog implements AuditLog {
  constructor(
    private readonly db: SqlDatabase,
    private readonly project: string,
  ) {}

  async record(entry: Omit<AuditEntry, "id" | "at">): Promise<AuditEntry> {
    const [row] = await this.db.query<AuditRow>(
      `insert into audit_log (project, actor, action, environment, subject, detail) values ($1, $2, $3, $4, $5, $6::text::jsonb) returning ${columns}`,
      [this.project, entry.actor, entry.action, entry.environment ?? null, entry.subject, jsonParam(entry.detail)],
    );
    return entryOf(row as AuditRow);
  }

  /** Newest first. */
  async list(filter: { limit?: number } = {}): Promise<AuditEntry[]> {
    const limited = filter.limit !== undefined;
    const rows = await this.db.query<AuditRow>(`select ${columns} from audit_log where project = $1 order by id desc${limited ? " limit $2" : ""}`, limited ? [this.project, filter.limit] : [this.project]);
    return rows.map(entryOf);
  }
}
