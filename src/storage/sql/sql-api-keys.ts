import type { ApiKey, ApiKeys, KeyScopes } from "../../engine/store.js";
import { ConflictError, NotFoundError } from "../../errors.js";
import { sqlState, sqlStateOf, type SqlDatabase } from "./database.js";
import { isoOf, jsonParam, optionalIsoOf, parsedJson } from "./row-values.js";

interface KeyRow {
  id: string;
  name: string;
  scopes: string;
  created_at: Date;
  revoked_at: Date | null;
}

const columns = "id, name, scopes::text as scopes, created_at, revoked_at";

function keyOf(row: KeyRow): ApiKey {
  const revokedAt = optionalIsoOf(row.revoked_at);
  return { id: row.id, name: row.name, scopes: parsedJson<KeyScopes>(row.scopes) as KeyScopes, createdAt: isoOf(row.created_at), ...(revokedAt && { revokedAt }) };
}

/**
 * API keys: only a hash of each secret is kept, so the store never holds anything that lets its reader in. A name
 * is never reused, revoked or not — the audit trail names keys, and one name must mean one key.
 */
export class SqlApiKeys implements ApiKeys {
  constructor(
    private readonly db: SqlDatabase,
    private readonly project: string,
  ) {}

  async create(key: { id: string; name: string; secretHash: string; scopes: KeyScopes }): Promise<ApiKey> {
    try {
      const [row] = await this.db.query<KeyRow>(
        `insert into api_keys (project, id, name, secret_hash, scopes) values ($1, $2, $3, $4, $5::text::jsonb) returning ${columns}`,
        [this.project, key.id, key.name, key.secretHash, jsonParam(key.scopes)],
      );
      return keyOf(row as KeyRow);
    } catch (error) {
      if (sqlStateOf(error) !== sqlState.uniqueViolation) throw error;
      const byName = await this.db.query(`select id from api_keys where project = $1 and name = $2`, [this.project, key.name]);
      if (byName.length > 0) throw new ConflictError(`The project ${this.project} already has an API key named "${key.name}".`, "Choose another name: a name is never reused, even after its key is revoked, so the audit trail names one key.");
      throw new ConflictError(`The project ${this.project} already has an API key with the id ${key.id}.`, "Create the key again: it gets a new id.");
    }
  }

  async findByHash(secretHash: string): Promise<ApiKey | undefined> {
    const [row] = await this.db.query<KeyRow>(`select ${columns} from api_keys where project = $1 and secret_hash = $2 and revoked_at is null`, [this.project, secretHash]);
    return row && keyOf(row);
  }

  /** Every key, revoked ones too, oldest first. */
  async list(): Promise<ApiKey[]> {
    const rows = await this.db.query<KeyRow>(`select ${columns} from api_keys where project = $1 order by created_at, id`, [this.project]);
    return rows.map(keyOf);
  }

  /** Revoking a revoked key changes nothing; a name no key has is a NotFoundError. */
  async revoke(name: string): Promise<void> {
    const [row] = await this.db.query<{ revoked_at: Date | null }>(
      `update api_keys set revoked_at = coalesce(revoked_at, now()) where project = $1 and name = $2 returning revoked_at`,
      [this.project, name],
    );
    if (!row) throw new NotFoundError(`The project ${this.project} has no API key named "${name}".`, "List the keys to see their names.");
  }
}
