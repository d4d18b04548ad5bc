import type { Database } from './database.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Schema changes in order. Never edit an applied migration: add a new one. Written in portable SQL
 * (TEXT ids and ISO timestamps, no autoincrement) so the PostgreSQL backend can run the same list.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'users, sessions and workspace membership',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        is_instance_admin INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE TABLE workspace_members (
        workspace TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'developer', 'viewer')),
        PRIMARY KEY (workspace, user_id)
      );`,
  },
  {
    version: 2,
    name: 'saved queries, schedules and runs',
    sql: `
      CREATE TABLE saved_queries (
        id TEXT PRIMARY KEY,
        workspace TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        sql TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (workspace, user_id, name)
      );
      CREATE TABLE schedules (
        id TEXT PRIMARY KEY,
        workspace TEXT NOT NULL,
        name TEXT NOT NULL,
        cron TEXT NOT NULL,
        timezone TEXT NOT NULL DEFAULT 'UTC',
        enabled INTEGER NOT NULL DEFAULT 1,
        created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (workspace, name)
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        workspace TEXT NOT NULL,
        schedule_id TEXT REFERENCES schedules(id) ON DELETE SET NULL,
        trigger TEXT NOT NULL,
        triggered_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        command TEXT NOT NULL,
        status TEXT NOT NULL,
        exit_code INTEGER,
        error TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
      );
      CREATE INDEX runs_by_workspace ON runs (workspace, created_at);
      CREATE TABLE run_log_chunks (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        stream TEXT NOT NULL,
        text TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      );`,
  },
  {
    version: 3,
    name: 'plugin installations, approvals, enablement, configuration and the audit log',
    sql: `
      CREATE TABLE plugin_installations (
        name TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        source TEXT NOT NULL,
        checksum TEXT,
        previous_version TEXT,
        installed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE plugin_approvals (
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        capabilities TEXT NOT NULL,
        approved_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        approved_at TEXT NOT NULL,
        PRIMARY KEY (name, version)
      );
      CREATE TABLE plugin_enablement (
        name TEXT NOT NULL,
        workspace TEXT NOT NULL,
        enabled INTEGER NOT NULL,
        updated_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (name, workspace)
      );
      CREATE TABLE plugin_config (
        name TEXT PRIMARY KEY,
        config TEXT NOT NULL,
        updated_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE audit_log (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        actor_id TEXT,
        actor_name TEXT,
        action TEXT NOT NULL,
        target TEXT,
        workspace TEXT,
        details TEXT
      );
      CREATE INDEX audit_by_time ON audit_log (at);`,
  },
  {
    version: 4,
    name: 'plugin package operations journal and pending plugin updates',
    sql: `
      CREATE TABLE plugin_operations (
        id TEXT PRIMARY KEY,
        plugin TEXT NOT NULL,
        kind TEXT NOT NULL,
        moves TEXT NOT NULL,
        effects TEXT NOT NULL,
        cleanup TEXT NOT NULL,
        started_at TEXT NOT NULL
      );
      CREATE TABLE plugin_pending_updates (
        name TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        source TEXT NOT NULL,
        checksum TEXT,
        capabilities TEXT NOT NULL,
        staged_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        staged_at TEXT NOT NULL
      );`,
  },
  {
    version: 5,
    name: 'plugin pins: a pinned plugin is never updated until unpinned',
    sql: `
      CREATE TABLE plugin_pins (
        name TEXT PRIMARY KEY,
        version TEXT,
        pinned_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        pinned_by_name TEXT,
        pinned_at TEXT NOT NULL
      );`,
  },
  {
    version: 6,
    name: 'plugin logs: what each plugin backend wrote and what the server decided about it',
    sql: `
      CREATE TABLE plugin_logs (
        plugin TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
        source TEXT NOT NULL,
        message TEXT NOT NULL,
        data TEXT,
        bytes INTEGER NOT NULL,
        PRIMARY KEY (plugin, seq)
      );
      CREATE INDEX plugin_logs_by_age ON plugin_logs (at);`,
  },
  {
    version: 7,
    name: 'plugin budgets overridden by admins, automatic disables and notices to admins',
    sql: `
      CREATE TABLE plugin_budgets (
        plugin TEXT PRIMARY KEY,
        error_rate REAL,
        p95_ms INTEGER,
        restarts INTEGER,
        updated_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE plugin_auto_disables (
        plugin TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE TABLE admin_notices (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        plugin TEXT,
        message TEXT NOT NULL,
        dismissed_at TEXT,
        dismissed_by TEXT REFERENCES users(id) ON DELETE SET NULL
      );
      CREATE INDEX admin_notices_open ON admin_notices (dismissed_at, at);`,
  },
  {
    version: 8,
    name: "plugin approvals record a version's whole access request (keys), not just its capabilities",
    // Rows written before hold bare capability names, which are the keys of capability items.
    sql: `ALTER TABLE plugin_approvals RENAME COLUMN capabilities TO grants;`,
  },
  {
    version: 9,
    name: 'remotes pinned at approval (manifest digest, SRI of every chunk) and signing keys trusted by admins',
    sql: `
      CREATE TABLE plugin_remote_pins (
        plugin TEXT NOT NULL,
        version TEXT NOT NULL,
        url TEXT NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        assets TEXT NOT NULL,
        pinned_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        pinned_at TEXT NOT NULL,
        changed_at TEXT,
        changed_detail TEXT,
        PRIMARY KEY (plugin, version)
      );
      CREATE TABLE trusted_signing_keys (
        key_id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        public_key TEXT NOT NULL,
        added_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        added_at TEXT NOT NULL
      );`,
  },
  {
    version: 11,
    name: 'API tokens with scopes (only their hash is stored)',
    sql: `
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT,
        revoked_by TEXT REFERENCES users(id) ON DELETE SET NULL
      );`,
  },
  {
    version: 12,
    name: 'workspaces managed in the app, and users an admin deactivated',
    // A row overrides the workspaces file's entry of the same name; removed_at keeps a removed file entry away.
    sql: `
      CREATE TABLE workspaces (
        name TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        project_dir TEXT NOT NULL,
        target_dir TEXT NOT NULL,
        seeds_dir TEXT NOT NULL,
        run_command TEXT NOT NULL,
        updated_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        updated_at TEXT NOT NULL,
        removed_at TEXT
      );
      ALTER TABLE users ADD COLUMN deactivated_at TEXT;`,
  },
  {
    version: 10,
    name: "each plugin's UI trust level (isolated unless an admin chose in-page) and the server's secrets",
    sql: `
      CREATE TABLE plugin_ui_trust (
        plugin TEXT PRIMARY KEY,
        level TEXT NOT NULL CHECK (level IN ('isolated', 'in-page')),
        updated_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE server_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL
      );`,
  },
  {
    version: 14,
    name: "each workspace's override of a plugin's configuration",
    sql: `
      CREATE TABLE plugin_workspace_config (
        plugin TEXT NOT NULL,
        workspace TEXT NOT NULL,
        config TEXT NOT NULL,
        updated_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (plugin, workspace)
      );`,
  },
  {
    version: 16,
    name: "an admin's rejection of the version of a plugin waiting for approval",
    // One row per plugin: it holds for that version only, so a newer version waits for a decision again.
    sql: `
      CREATE TABLE plugin_rejections (
        name TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        rejected_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        rejected_by_name TEXT NOT NULL,
        rejected_at TEXT NOT NULL
      );`,
  },
  {
    version: 17,
    name: 'the plugin trigger that started a run',
    // JSON {plugin, name}; the trigger lives in the plugin's backend, so there is nothing to reference.
    sql: 'ALTER TABLE runs ADD COLUMN plugin_trigger TEXT;',
  },
  {
    version: 21,
    name: 'schedule firings claimed by one server; live servers and the server of each run',
    // One row per firing of a schedule: the server whose insert lands starts the run, the others on the same
    // database skip it (several replicas on one PostgreSQL).
    sql: `
      CREATE TABLE schedule_firings (
        schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
        fire_at TEXT NOT NULL,
        server TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        PRIMARY KEY (schedule_id, fire_at)
      );
      CREATE TABLE servers (
        id TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        seen_at TEXT NOT NULL
      );
      ALTER TABLE runs ADD COLUMN server TEXT;`,
  },
  {
    version: 22,
    name: 'what each build of a plugin backend registered when it last ran',
    // Lets backends start when first needed: the server knows their routes, events, hooks and triggers without
    // running them. revision: the build's launch revision (code, approvals, workspaces); registrations: JSON.
    sql: `
      CREATE TABLE plugin_backend_registrations (
        plugin TEXT NOT NULL,
        revision TEXT NOT NULL,
        registrations TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (plugin, revision)
      );`,
  },
  {
    version: 23,
    name: 'plugin packages every replica fetches by digest; the replica of each plugin operation',
    // plugin_packages: each package once, content-addressed (sha256 of its packed bytes). The digests a plugin's
    // rows name are the versions every replica must serve; plugin_package_versions keeps the digest of each
    // version a plugin had, for rollback on a replica that never held it. plugin_operations.server: the replica
    // (data folder) whose folders an operation moves, the only one that may recover it.
    sql: `
      CREATE TABLE plugin_packages (
        digest TEXT PRIMARY KEY,
        bytes BLOB NOT NULL,
        size INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE plugin_package_versions (
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        digest TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (name, version)
      );
      ALTER TABLE plugin_installations ADD COLUMN digest TEXT;
      ALTER TABLE plugin_pending_updates ADD COLUMN digest TEXT;
      ALTER TABLE plugin_operations ADD COLUMN server TEXT;`,
  },
  {
    version: 24,
    name: "each server's cost history points of each plugin",
    // One row per server, plugin and interval (at: its end on the wall-clock grid of the interval, so the servers'
    // points of one interval add up); point: the MetricsPoint as JSON. Budgets judge the sum over servers.
    sql: `
      CREATE TABLE plugin_metric_points (
        server TEXT NOT NULL,
        plugin TEXT NOT NULL,
        at TEXT NOT NULL,
        point TEXT NOT NULL,
        PRIMARY KEY (server, plugin, at)
      );
      CREATE INDEX plugin_metric_points_by_plugin ON plugin_metric_points (plugin, at);
      CREATE INDEX plugin_metric_points_by_at ON plugin_metric_points (at);`,
  },
  {
    version: 25,
    name: "developers' dev sessions, seen by every replica",
    // One row per developer and plugin (workbench-plugin dev --server): manifest (JSON) and entry of the dev build
    // (entry NULL for a backend-only plugin), its current revision, and until when it lives unless the CLI's
    // heartbeat extends it. backend_server: the replica running the developer's backend dev slot (its process id
    // and a label naming it), NULL while none does.
    sql: `
      CREATE TABLE plugin_dev_sessions (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        plugin TEXT NOT NULL,
        manifest TEXT NOT NULL,
        entry TEXT,
        revision TEXT NOT NULL UNIQUE,
        backend_server TEXT,
        backend_server_label TEXT,
        started_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (user_id, plugin)
      );
      CREATE INDEX plugin_dev_sessions_by_expiry ON plugin_dev_sessions (expires_at);`,
  },
];

/** Applies every migration newer than the database, each in its own transaction. Returns the versions applied. */
export async function migrate(db: Database, list: readonly Migration[] = migrations): Promise<number[]> {
  await db.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations');
  assertSchemaKnown(rows, list);
  const applied = new Set(rows.map((r) => r.version));
  const done: number[] = [];
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of splitStatements(migration.sql)) await tx.run(inDialect(statement, db.dialect));
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    });
    done.push(migration.version);
  }
  return done;
}

/** Why a server refuses a database: its schema has changes this server's code does not know. */
export class SchemaMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaMismatchError';
  }
}

/**
 * Refuses a database migrated by a newer server (a version this code does not have): writing to it with this
 * code's idea of the schema could corrupt its data. A database that is behind is fine: `migrate` brings it up to
 * date.
 */
function assertSchemaKnown(applied: readonly { version: number }[], list: readonly Migration[]): void {
  const known = new Set(list.map((m) => m.version));
  const newest = Math.max(0, ...list.map((m) => m.version));
  const unknown = applied.filter((row) => !known.has(row.version)).map((row) => row.version);
  if (unknown.length > 0) {
    throw new SchemaMismatchError(
      `The database's schema is newer than this server: it has migration${unknown.length > 1 ? 's' : ''} ` +
        `${unknown.sort((a, b) => a - b).join(', ')}, which this server (schema ${newest}) does not know. ` +
        'Run the newer dbt-Workbench version that migrated it, or restore a backup taken before.',
    );
  }
}

/**
 * The migrations are written for SQLite, whose INTEGER is 64-bit and REAL 8-byte; PostgreSQL's names of those
 * types are BIGINT and DOUBLE PRECISION (its INTEGER and REAL are 32-bit and 4-byte), and of BLOB, BYTEA. SQLite's
 * own files keep their statements unchanged.
 */
export function inDialect(statement: string, dialect: Database['dialect']): string {
  if (dialect === 'sqlite') return statement;
  return statement
    .replace(/\bINTEGER\b/g, 'BIGINT')
    .replace(/\bREAL\b/g, 'DOUBLE PRECISION')
    .replace(/\bBLOB\b/g, 'BYTEA');
}

function splitStatements(sql: string): string[] {
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
