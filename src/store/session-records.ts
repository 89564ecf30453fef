import type { SessionRecords } from '../dashboard/sessions.js';
import type { Db } from './database.js';

/**
 * Dashboard sessions in SQLite, so that an agent restart does not log browsers out: the sha256
 * digest of each cookie value and when it expires, never the value. At most `max` are kept (the
 * ones expiring first give way). Synchronous, like better-sqlite3.
 */
export function sqliteSessionRecords(db: Db, max: number): SessionRecords {
  const get = db.prepare<[string], { expires_at: number }>(
    'SELECT expires_at FROM dashboard_sessions WHERE digest = ?',
  );
  const put = db.prepare('INSERT OR REPLACE INTO dashboard_sessions (digest, expires_at) VALUES (?, ?)');
  const trim = db.prepare(
    `DELETE FROM dashboard_sessions WHERE digest NOT IN
       (SELECT digest FROM dashboard_sessions ORDER BY expires_at DESC LIMIT ?)`,
  );
  const remove = db.prepare('DELETE FROM dashboard_sessions WHERE digest = ?');
  const prune = db.prepare('DELETE FROM dashboard_sessions WHERE expires_at <= ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM dashboard_sessions');
  const clear = db.prepare('DELETE FROM dashboard_sessions');
  return {
    get: (digest) => get.get(digest)?.expires_at,
    put: db.transaction((digest: string, expires: number) => {
      put.run(digest, expires);
      trim.run(max);
    }),
    delete: (digest) => void remove.run(digest),
    prune: (now) => void prune.run(now),
    clear: () => clear.run().changes,
    count: () => count.get()?.n ?? 0,
  };
}
