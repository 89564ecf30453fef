/**
 * The schema, as an append-only list: migration N brings `PRAGMA user_version` from N to N+1.
 * Never edit a shipped entry; add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE apps (
     name TEXT PRIMARY KEY,
     repo TEXT NOT NULL,
     branch TEXT NOT NULL,
     path TEXT NOT NULL,
     poll_ms INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     live_release_id INTEGER,
     head_revision TEXT,
     last_attempted_revision TEXT,
     last_error TEXT
   );
   CREATE TABLE releases (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     app TEXT NOT NULL,
     revision TEXT NOT NULL,
     message TEXT,
     author TEXT,
     trigger TEXT NOT NULL,
     status TEXT NOT NULL,
     phase TEXT NOT NULL,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     error TEXT,
     timings TEXT NOT NULL DEFAULT '{}',
     spec TEXT,
     artifact TEXT,
     slot TEXT,
     traffic TEXT,
     traffic_base TEXT
   );
   CREATE INDEX releases_by_app ON releases (app, id DESC);
   CREATE TABLE events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     app TEXT,
     release_id INTEGER,
     type TEXT NOT NULL,
     message TEXT NOT NULL,
     data TEXT NOT NULL DEFAULT '{}',
     at TEXT NOT NULL
   );
   CREATE INDEX events_by_app ON events (app, id DESC);`,
  // Secrets of apps, each value sealed with AES-256-GCM (core/secret-box.ts) under the key file.
  `CREATE TABLE secrets (
     app TEXT NOT NULL,
     name TEXT NOT NULL,
     sealed TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (app, name)
   );`,
  // Replicas set by `wandol scale` (null: the spec's replicas); release config as deployed.
  `ALTER TABLE apps ADD COLUMN replicas INTEGER;
   ALTER TABLE releases ADD COLUMN config TEXT;`,
  // The dashboard's figures over time: one point per app every 10 s, kept 7 days (metric-store.ts).
  `CREATE TABLE metric_points (
     app TEXT NOT NULL,
     at INTEGER NOT NULL,
     rps REAL NOT NULL,
     p99_ms REAL,
     eps REAL NOT NULL,
     cpu_cores REAL NOT NULL,
     memory_bytes INTEGER NOT NULL,
     ready INTEGER NOT NULL,
     desired INTEGER NOT NULL,
     PRIMARY KEY (app, at)
   ) WITHOUT ROWID;
   CREATE INDEX metric_points_by_at ON metric_points (at);`,
  // The image a release runs (docker and kubernetes runtimes): tag and id.
  `ALTER TABLE releases ADD COLUMN image TEXT;`,
  // Dashboard sessions, by the sha256 digest of the cookie value only (dashboard/sessions.ts).
  `CREATE TABLE dashboard_sessions (
     digest TEXT PRIMARY KEY,
     expires_at INTEGER NOT NULL
   ) WITHOUT ROWID;`,
];
