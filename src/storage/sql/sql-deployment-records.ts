import type { DeploymentRecord, DeploymentRecords, ServiceKey } from "../../engine/deployment-records.js";
import type { SqlDatabase } from "./database.js";
import { jsonParam, parsedJson } from "./row-values.js";

/** Deployment records as rows: the record whole (jsonb), looked up by its service's columns, newest first. */
export class SqlDeploymentRecords implements DeploymentRecords {
  constructor(
    private readonly db: SqlDatabase,
    private readonly project: string,
  ) {}

  get location(): string {
    return this.db.location;
  }

  async append(record: DeploymentRecord): Promise<void> {
    await this.db.query(
      `insert into deployment_records (project, environment, cluster, service, deployment_id, record) values ($1, $2, $3, $4, $5, $6::text::jsonb)`,
      [this.project, record.environment, record.cluster, record.service, record.deploymentId, jsonParam(record)],
    );
  }

  async list(key: ServiceKey): Promise<DeploymentRecord[]> {
    const rows = await this.db.query<{ record: string }>(
      `select record::text as record from deployment_records
        where project = $1 and environment = $2 and cluster = $3 and service = $4
        order by appended_order desc`,
      [this.project, key.environment, key.cluster, key.service],
    );
    return rows.map((row) => parsedJson<DeploymentRecord>(row.record) as DeploymentRecord);
  }
}
