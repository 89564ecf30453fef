import type { Db } from './database.js';

/** An app registration plus the control plane's bookkeeping about it. */
export interface AppRow {
  name: string;
  repo: string;
  branch: string;
  path: string;
  pollMs: number;
  createdAt: string;
  liveReleaseId: number | null;
  /** Newest commit of the branch as last fetched. */
  headRevision: string | null;
  /** The last head that polling or a webhook tried to deploy (so a failed commit is not retried forever). */
  lastAttemptedRevision: string | null;
  lastError: AppError | null;
  /** Replicas set by `wandol scale`; null: the spec's. */
  replicas: number | null;
}

/** The last source or deploy error of an app, kept until the next success. */
export interface AppError {
  code: string;
  message: string;
  details: string[];
  at: string;
}

interface RawApp {
  name: string;
  repo: string;
  branch: string;
  path: string;
  poll_ms: number;
  created_at: string;
  live_release_id: number | null;
  head_revision: string | null;
  last_attempted_revision: string | null;
  last_error: string | null;
  replicas: number | null;
}

const toRow = (r: RawApp): AppRow => ({
  name: r.name,
  repo: r.repo,
  branch: r.branch,
  path: r.path,
  pollMs: r.poll_ms,
  createdAt: r.created_at,
  liveReleaseId: r.live_release_id,
  headRevision: r.head_revision,
  lastAttemptedRevision: r.last_attempted_revision,
  lastError: r.last_error ? (JSON.parse(r.last_error) as AppError) : null,
  replicas: r.replicas ?? null,
});

/** Apps in SQLite. Reads return undefined for an unknown app; writes to an unknown app do nothing. */
export class AppStore {
  constructor(private readonly db: Db) {}

  /** Inserts a new app; returns false if the name is taken. */
  insert(app: Pick<AppRow, 'name' | 'repo' | 'branch' | 'path' | 'pollMs'>): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO apps (name, repo, branch, path, poll_ms, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(app.name, app.repo, app.branch, app.path, app.pollMs, new Date().toISOString());
    return result.changes === 1;
  }

  get(name: string): AppRow | undefined {
    const raw = this.db.prepare(`SELECT * FROM apps WHERE name = ?`).get(name) as RawApp | undefined;
    return raw && toRow(raw);
  }

  list(): AppRow[] {
    return (this.db.prepare(`SELECT * FROM apps ORDER BY name`).all() as RawApp[]).map(toRow);
  }

  /** Deletes the app with its releases and events. Idempotent. */
  remove(name: string): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM events WHERE app = ?`).run(name);
      this.db.prepare(`DELETE FROM releases WHERE app = ?`).run(name);
      this.db.prepare(`DELETE FROM apps WHERE name = ?`).run(name);
    })();
  }

  setLiveRelease(name: string, releaseId: number | null): void {
    this.db.prepare(`UPDATE apps SET live_release_id = ? WHERE name = ?`).run(releaseId, name);
  }

  setHead(name: string, revision: string): void {
    this.db.prepare(`UPDATE apps SET head_revision = ? WHERE name = ?`).run(revision, name);
  }

  setReplicas(name: string, replicas: number | null): void {
    this.db.prepare(`UPDATE apps SET replicas = ? WHERE name = ?`).run(replicas, name);
  }

  setLastAttempted(name: string, revision: string | null): void {
    this.db.prepare(`UPDATE apps SET last_attempted_revision = ? WHERE name = ?`).run(revision, name);
  }

  /** Records (or clears, with null) the app's last error. */
  setLastError(name: string, error: Omit<AppError, 'at'> | null): void {
    const value = error && JSON.stringify({ ...error, at: new Date().toISOString() });
    this.db.prepare(`UPDATE apps SET last_error = ? WHERE name = ?`).run(value, name);
  }
}
