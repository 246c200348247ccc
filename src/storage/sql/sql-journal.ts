import { checkDeploymentId } from "../../engine/deployment-id.js";
import type { Journal, JournalEntry, JournalPhase, NewJournalEntry } from "../../engine/journal.js";
import { sqlState, sqlStateOf, type SqlDatabase } from "./database.js";
import { isoOf, jsonParam, parsedJson } from "./row-values.js";

interface EntryRow {
  deployment_id: string;
  seq: number;
  step: string;
  action_key: string;
  action_kind: string;
  phase: JournalPhase;
  at: Date;
  summary: string;
  result: string | null;
  error: string | null;
}

const columns = "deployment_id, seq, step, action_key, action_kind, phase, at, summary, result::text as result, error";

function entryOf(row: EntryRow): JournalEntry {
  const result = parsedJson(row.result);
  return {
    deploymentId: row.deployment_id,
    seq: Number(row.seq),
    step: row.step,
    actionKey: row.action_key,
    actionKind: row.action_kind,
    phase: row.phase,
    at: isoOf(row.at),
    summary: row.summary,
    ...(row.result !== null && { result }),
    ...(row.error !== null && { error: row.error }),
  };
}

/** Two appenders racing for one seq: the loser of the primary key takes the next one. More would mean a bug. */
const seqAttempts = 5;

/** The journal as rows; the database assigns each deployment's seq (1, 2, …) as the next after its largest. */
export class SqlJournal implements Journal {
  constructor(
    private readonly db: SqlDatabase,
    private readonly project: string,
  ) {}

  async append(entry: NewJournalEntry): Promise<JournalEntry> {
    checkDeploymentId(entry.deploymentId);
    for (let attempt = 1; ; attempt++) {
      try {
        const [row] = await this.db.query<EntryRow>(
          `insert into journal_entries (project, deployment_id, seq, step, action_key, action_kind, phase, summary, result, error)
           select $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6, $7, $8::text::jsonb, $9
             from journal_entries where project = $1 and deployment_id = $2
           returning ${columns}`,
          [this.project, entry.deploymentId, entry.step, entry.actionKey, entry.actionKind, entry.phase, entry.summary, jsonParam(entry.result), entry.error ?? null],
        );
        return entryOf(row as EntryRow);
      } catch (error) {
        if (sqlStateOf(error) !== sqlState.uniqueViolation || attempt >= seqAttempts) throw error;
      }
    }
  }

  async entries(deploymentId: string): Promise<JournalEntry[]> {
    checkDeploymentId(deploymentId);
    const rows = await this.db.query<EntryRow>(`select ${columns} from journal_entries where project = $1 and deployment_id = $2 order by seq`, [this.project, deploymentId]);
    return rows.map(entryOf);
  }
}
