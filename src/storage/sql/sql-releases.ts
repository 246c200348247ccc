import type { Releases } from "../../engine/store.js";
import { ConflictError, InputError } from "../../errors.js";
import type { NewRelease, Release, ReleaseSnapshot } from "../../releases/release.js";
import { sqlState, sqlStateOf, type SqlDatabase } from "./database.js";
import { isoOf, jsonParam, parsedJson } from "./row-values.js";

interface ReleaseRow {
  project: string;
  version: string;
  channel: string;
  created_at: Date;
  created_by: string;
  notes: string | null;
  snapshot: string;
}

const columns = "project, version, channel, created_at, created_by, notes, snapshot::text as snapshot";

function releaseOf(row: ReleaseRow): Release {
  return {
    project: row.project,
    version: row.version,
    channel: row.channel,
    createdAt: isoOf(row.created_at),
    createdBy: row.created_by,
    ...(row.notes !== null && { notes: row.notes }),
    snapshot: parsedJson<ReleaseSnapshot>(row.snapshot) as ReleaseSnapshot,
  };
}

/** Releases, written once: the version is the key, and a trigger refuses any UPDATE or DELETE of a release row. */
export class SqlReleases implements Releases {
  constructor(
    private readonly db: SqlDatabase,
    private readonly project: string,
  ) {}

  async create(release: NewRelease): Promise<Release> {
    if (release.project !== this.project) throw new InputError(`Release ${release.version} names the project ${release.project}, but this store holds ${this.project}'s.`, "Create the release with the store of its own project.");
    try {
      const [row] = await this.db.query<ReleaseRow>(
        `insert into releases (project, version, channel, created_by, notes, snapshot) values ($1, $2, $3, $4, $5, $6::text::jsonb) returning ${columns}`,
        [this.project, release.version, release.channel, release.createdBy, release.notes ?? null, jsonParam(release.snapshot)],
      );
      return releaseOf(row as ReleaseRow);
    } catch (error) {
      if (sqlStateOf(error) === sqlState.uniqueViolation) {
        throw new ConflictError(`Release ${release.version} already exists, and a release never changes once created.`, "Create a new version (e.g. bump the patch number) to ship different images or a changed process.");
      }
      throw error;
    }
  }

  async get(version: string): Promise<Release | undefined> {
    const [row] = await this.db.query<ReleaseRow>(`select ${columns} from releases where project = $1 and version = $2`, [this.project, version]);
    return row && releaseOf(row);
  }

  async list(): Promise<Release[]> {
    const rows = await this.db.query<ReleaseRow>(`select ${columns} from releases where project = $1 order by creation_order desc`, [this.project]);
    return rows.map(releaseOf);
  }
}
