import { sqlState, sqlStateOf, type SqlDatabase } from "./database.js";

/**
 * The store's schema, as ordered migrations kept in TypeScript (so the built dist/ needs no .sql files beside it)
 * and run unchanged on PostgreSQL and PGlite. Each is applied once and recorded in slipway_migrations; a
 * migration once released is never edited — a change of schema is a new migration at the end.
 *
 * Every table has a `project` column: one PostgreSQL may hold the stores of several projects.
 */
export interface Migration {
  /** Order of application; recorded once applied. */
  id: number;
  name: string;
  /** One statement each: PGlite's parameterised query runs a single statement at a time. */
  statements: readonly string[];
}

export const migrations: readonly Migration[] = [
  {
    id: 1,
    name: "tables",
    statements: [
      `create table releases (
        project text not null,
        version text not null,
        channel text not null,
        created_at timestamptz not null default now(),
        created_by text not null,
        notes text,
        snapshot jsonb not null,
        creation_order bigserial not null,
        primary key (project, version)
      )`,
      `create index releases_newest on releases (project, creation_order desc)`,

      `create table deployment_runs (
        project text not null,
        id text not null,
        release text not null,
        environment text not null,
        status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'aborted', 'interrupted')),
        requested_by text not null,
        created_at timestamptz not null default now(),
        started_at timestamptz,
        ended_at timestamptz,
        runner jsonb,
        error jsonb,
        outputs jsonb not null default '{}',
        abort_requested_by text,
        abort_requested_at timestamptz,
        creation_order bigserial not null,
        primary key (project, id),
        foreign key (project, release) references releases (project, version)
      )`,
      `create index deployment_runs_newest on deployment_runs (project, creation_order desc)`,

      // Keyed by (deployment, seq): two appenders racing for one seq collide here, and the loser retries.
      `create table journal_entries (
        project text not null,
        deployment_id text not null,
        seq integer not null,
        step text not null,
        action_key text not null,
        action_kind text not null,
        phase text not null check (phase in ('started', 'succeeded', 'failed')),
        at timestamptz not null default now(),
        summary text not null,
        result jsonb,
        error text,
        primary key (project, deployment_id, seq)
      )`,

      // A gate and its decision share a row: "outcome is null" is an open gate, and the first decision is the one
      // UPDATE … WHERE outcome IS NULL manages to write.
      `create table approval_gates (
        project text not null,
        deployment_id text not null,
        stage text not null,
        summary text not null,
        instructions text,
        timeout_seconds double precision,
        approvers jsonb,
        opened_at timestamptz not null,
        expires_at timestamptz,
        opening_order bigserial not null,
        outcome text check (outcome in ('approved', 'aborted', 'timed-out')),
        decided_by text,
        decided_login text,
        decision_reason text,
        decided_at timestamptz,
        primary key (project, deployment_id, stage)
      )`,
      `create index approval_gates_in_order on approval_gates (project, opening_order)`,

      // The record itself is jsonb (it grows fields with ECS's own); the columns are what it is looked up by.
      `create table deployment_records (
        appended_order bigserial primary key,
        project text not null,
        environment text not null,
        cluster text not null,
        service text not null,
        deployment_id text not null,
        record jsonb not null
      )`,
      `create index deployment_records_by_service on deployment_records (project, environment, cluster, service, appended_order desc)`,

      // One row per service and environment while a deployment holds it; expires_at is on the database's clock.
      `create table deployment_leases (
        project text not null,
        environment text not null,
        service text not null,
        deployment_id text not null,
        pid integer not null,
        host text not null,
        started_at timestamptz not null,
        expires_at timestamptz not null,
        primary key (project, environment, service)
      )`,

      `create table deployment_events (
        id bigserial primary key,
        project text not null,
        deployment_id text not null,
        at timestamptz not null default now(),
        type text not null,
        message text not null,
        data jsonb
      )`,
      `create index deployment_events_by_deployment on deployment_events (project, deployment_id, id)`,

      // Names stay unique after revocation: the audit trail names keys, and one name must mean one key.
      `create table api_keys (
        project text not null,
        id text not null,
        name text not null,
        secret_hash text not null,
        scopes jsonb not null,
        created_at timestamptz not null default now(),
        revoked_at timestamptz,
        primary key (project, id),
        unique (project, name)
      )`,
      `create index api_keys_live_by_hash on api_keys (project, secret_hash) where revoked_at is null`,

      `create table audit_log (
        id bigserial primary key,
        project text not null,
        at timestamptz not null default now(),
        actor text not null,
        action text not null,
        environment text,
        subject text not null,
        detail jsonb
      )`,
      `create index audit_log_newest on audit_log (project, id desc)`,
    ],
  },
  {
    id: 2,
    name: "releases are immutable",
    statements: [
      // Releases.create refuses an existing version; this stops everything else too (a script, a psql session),
      // since promoting a release must deploy exactly what was released.
      `create function slipway_release_is_immutable() returns trigger language plpgsql as $$
      begin
        raise exception 'release % of project % is immutable: a release never changes once created', old.version, old.project
          using hint = 'Create a new version instead.';
      end
      $$`,
      `create trigger releases_are_immutable before update or delete on releases
        for each row execute function slipway_release_is_immutable()`,
    ],
  },
  {
    id: 3,
    name: "rollback runs",
    statements: [
      // Every run so far deployed a release: the default keeps them what they were.
      `alter table deployment_runs add column kind text not null default 'deploy' check (kind in ('deploy', 'rollback'))`,
      // A rollback's service, ECS deployment, and the revisions it went from and to ({ taskDefinition, release? }
      // each; the "to" release is the release column). Null for a deployment of a release.
      `alter table deployment_runs add column rollback jsonb`,
      // A rollback to a revision no release of the project is known to have made claims none.
      `alter table deployment_runs alter column release drop not null`,
      `alter table deployment_runs add constraint deployment_runs_kind_fields check (
        (kind = 'deploy' and release is not null and rollback is null) or (kind = 'rollback' and rollback is not null)
      )`,
    ],
  },
  {
    id: 4,
    name: "rolled back runs and environment rollbacks",
    statements: [
      // An abort now returns what the run changed; the run ends rolled-back. The first check was unnamed:
      // PostgreSQL (and PGlite) named it deployment_runs_status_check.
      `alter table deployment_runs drop constraint deployment_runs_status_check`,
      `alter table deployment_runs add constraint deployment_runs_status_check check (status in ('queued', 'running', 'succeeded', 'failed', 'aborted', 'rolled-back', 'interrupted'))`,
      // Why the person aborted, kept with who and when.
      `alter table deployment_runs add column abort_reason text`,
      // `slipway rollback --env`: the release this deployment of an earlier release rolls back from.
      `alter table deployment_runs add column replaces text`,
    ],
  },
];

/** Any fixed number: the advisory lock that lets one process at a time migrate a shared PostgreSQL. */
const migrationLockKey = 7_416_001;

/**
 * Applies the migrations not yet recorded, in order, in one transaction: all of them or none. On PostgreSQL an
 * advisory lock held to the end of the transaction makes a second process wait, then find them applied; PGlite
 * is only ever opened by one process at a time anyway. Returns the ids it applied.
 */
export async function migrate(db: SqlDatabase): Promise<number[]> {
  // Nearly every open finds the schema current: one read says so, without the transaction and its lock. Migrations
  // commit all together, so the newest applied means all are (a newer slipway's are left alone, as below).
  if ((await appliedUpTo(db)) >= (migrations.at(-1)?.id ?? 0)) return [];
  return db.transaction(async (tx) => {
    // The lock comes first: two "create table if not exists" racing on PostgreSQL can still collide.
    await tx.query(`select pg_advisory_xact_lock(${migrationLockKey})`);
    await tx.query(`create table if not exists slipway_migrations (
      id integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
    const applied = new Set((await tx.query<{ id: number }>("select id from slipway_migrations")).map((row) => Number(row.id)));
    const ran: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.id)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query("insert into slipway_migrations (id, name) values ($1, $2)", [migration.id, migration.name]);
      ran.push(migration.id);
    }
    return ran;
  });
}

/** The newest migration applied; 0 in a database slipway has not migrated yet. */
async function appliedUpTo(db: SqlDatabase): Promise<number> {
  try {
    return Number((await db.query<{ id: number | null }>("select max(id) as id from slipway_migrations"))[0]?.id ?? 0);
  } catch (error) {
    if (sqlStateOf(error) === sqlState.undefinedTable) return 0;
    throw error;
  }
}
