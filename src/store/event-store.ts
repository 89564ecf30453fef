import type { EventRecord } from '../api/wire.js';
import type { Db } from './database.js';

type Raw = {
  id: number;
  app: string | null;
  release_id: number | null;
  type: string;
  message: string;
  data: string;
  at: string;
};

const toRecord = (r: Raw): EventRecord => ({
  id: r.id,
  app: r.app,
  releaseId: r.release_id,
  type: r.type,
  message: r.message,
  at: r.at,
  data: JSON.parse(r.data) as Record<string, unknown>,
});

/** The user-facing history of transitions (Deploying, Deployed, BuildFailed…), kept in SQLite. */
export class EventStore {
  constructor(private readonly db: Db) {}

  /** Appends an event and returns it as stored. Messages must already be free of secrets. */
  append(event: Omit<EventRecord, 'id' | 'at'>): EventRecord {
    const at = new Date().toISOString();
    const info = this.db
      .prepare(`INSERT INTO events (app, release_id, type, message, data, at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(event.app, event.releaseId, event.type, event.message, JSON.stringify(event.data), at);
    return { ...event, id: Number(info.lastInsertRowid), at };
  }

  /** Newest first, optionally of one app. */
  list(opts: { app?: string; limit: number }): EventRecord[] {
    const rows = opts.app
      ? this.db
          .prepare(`SELECT * FROM events WHERE app = ? ORDER BY id DESC LIMIT ?`)
          .all(opts.app, opts.limit)
      : this.db.prepare(`SELECT * FROM events ORDER BY id DESC LIMIT ?`).all(opts.limit);
    return (rows as Raw[]).map(toRecord);
  }
}
