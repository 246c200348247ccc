import type { DeploymentEvent, EventLog } from "../../engine/store.js";
import type { SqlDatabase } from "./database.js";
import { isoOf, jsonParam, numberOf, parsedJson } from "./row-values.js";

interface EventRow {
  id: string | number;
  deployment_id: string;
  at: Date;
  type: string;
  message: string;
  data: string | null;
}

const columns = "id, deployment_id, at, type, message, data::text as data";

function eventOf(row: EventRow): DeploymentEvent {
  return {
    id: numberOf(row.id),
    deploymentId: row.deployment_id,
    at: isoOf(row.at),
    type: row.type,
    message: row.message,
    ...(row.data !== null && { data: parsedJson(row.data) }),
  };
}

/**
 * Progress events; ids come from one sequence for the whole store, so a watcher resumes after the last id it saw.
 * A deployment's events are appended one after another by its runner, so they also commit in id order.
 */
export class SqlEventLog implements EventLog {
  constructor(
    private readonly db: SqlDatabase,
    private readonly project: string,
  ) {}

  async append(event: Omit<DeploymentEvent, "id" | "at"> & { at?: string }): Promise<DeploymentEvent> {
    const [row] = await this.db.query<EventRow>(
      `insert into deployment_events (project, deployment_id, type, message, data, at) values ($1, $2, $3, $4, $5::text::jsonb, coalesce($6::timestamptz, now())) returning ${columns}`,
      [this.project, event.deploymentId, event.type, event.message, jsonParam(event.data), event.at ?? null],
    );
    return eventOf(row as EventRow);
  }

  async since(deploymentId: string, after = 0): Promise<DeploymentEvent[]> {
    const rows = await this.db.query<EventRow>(`select ${columns} from deployment_events where project = $1 and deployment_id = $2 and id > $3 order by id`, [this.project, deploymentId, after]);
    return rows.map(eventOf);
  }
}
