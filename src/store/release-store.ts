import type { ReleaseStatus, Trigger } from '../api/wire.js';
import type { AppSpec } from '../config/app-spec.js';
import type { TrafficSnapshot } from '../router/route.js';
import type { Db } from './database.js';

/** Traffic figures of a closed cut-over window. */
export interface StoredTraffic {
  requests: number;
  failed: number;
  p99Ms: number | null;
}

/** What a release ran with, secrets by hash only. */
export interface ResolvedConfig {
  env: Record<string, string>;
  secrets: Record<string, string>;
}

/** One release attempt, as stored. */
export interface ReleaseRow {
  id: number;
  app: string;
  revision: string;
  message: string | null;
  author: string | null;
  trigger: Trigger;
  status: ReleaseStatus;
  phase: string;
  startedAt: string;
  finishedAt: string | null;
  error: { code: string; message: string; details: string[] } | null;
  timings: Record<string, number>;
  spec: AppSpec | null;
  artifact: string | null;
  /** The image it runs (`<app>:<sha7>@<id>`), for container runtimes. */
  image: string | null;
  slot: string | null;
  /** The config as deployed: env, and secrets by hash (never their values). */
  config: ResolvedConfig | null;
  /** Figures of the cut-over window once it closed. */
  traffic: StoredTraffic | null;
  /** The app's router counters when the window opened (null: no window yet). */
  trafficBase: TrafficSnapshot | null;
}

type Raw = Record<string, unknown>;
const json = <T>(v: unknown): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : null);

const toRow = (r: Raw): ReleaseRow => ({
  id: r.id as number,
  app: r.app as string,
  revision: r.revision as string,
  message: (r.message as string | null) ?? null,
  author: (r.author as string | null) ?? null,
  trigger: r.trigger as Trigger,
  status: r.status as ReleaseStatus,
  phase: r.phase as string,
  startedAt: r.started_at as string,
  finishedAt: (r.finished_at as string | null) ?? null,
  error: json(r.error),
  timings: json<Record<string, number>>(r.timings) ?? {},
  spec: json<AppSpec>(r.spec),
  artifact: (r.artifact as string | null) ?? null,
  image: (r.image as string | null) ?? null,
  slot: (r.slot as string | null) ?? null,
  config: json<ResolvedConfig>(r.config),
  traffic: json<StoredTraffic>(r.traffic),
  trafficBase: json<TrafficSnapshot>(r.traffic_base),
});

/** Fields `update` may change; JSON fields are serialised here. */
export type ReleasePatch = Partial<
  Pick<
    ReleaseRow,
    | 'status'
    | 'phase'
    | 'finishedAt'
    | 'error'
    | 'timings'
    | 'spec'
    | 'artifact'
    | 'image'
    | 'slot'
    | 'traffic'
    | 'trafficBase'
    | 'message'
    | 'author'
    | 'config'
  >
>;

const COLUMNS: Record<keyof ReleasePatch, string> = {
  status: 'status',
  phase: 'phase',
  finishedAt: 'finished_at',
  error: 'error',
  timings: 'timings',
  spec: 'spec',
  artifact: 'artifact',
  image: 'image',
  slot: 'slot',
  traffic: 'traffic',
  trafficBase: 'traffic_base',
  message: 'message',
  author: 'author',
  config: 'config',
};
const JSON_FIELDS = new Set<keyof ReleasePatch>([
  'error',
  'timings',
  'spec',
  'traffic',
  'trafficBase',
  'config',
]);

/** Releases in SQLite, one row per deploy attempt. */
export class ReleaseStore {
  constructor(private readonly db: Db) {}

  /** Records a new InProgress release in phase Queued and returns it. */
  create(app: string, revision: string, trigger: Trigger): ReleaseRow {
    const info = this.db
      .prepare(
        `INSERT INTO releases (app, revision, trigger, status, phase, started_at) VALUES (?, ?, ?, 'InProgress', 'Queued', ?)`,
      )
      .run(app, revision, trigger, new Date().toISOString());
    return this.get(Number(info.lastInsertRowid)) as ReleaseRow;
  }

  get(id: number): ReleaseRow | undefined {
    const raw = this.db.prepare(`SELECT * FROM releases WHERE id = ?`).get(id) as Raw | undefined;
    return raw && toRow(raw);
  }

  /** The app's releases, newest first. */
  list(app: string, limit = 100): ReleaseRow[] {
    const rows = this.db
      .prepare(`SELECT * FROM releases WHERE app = ? ORDER BY id DESC LIMIT ?`)
      .all(app, limit);
    return (rows as Raw[]).map(toRow);
  }

  /** Every release still InProgress (after a restart these were interrupted). */
  inProgress(): ReleaseRow[] {
    return (this.db.prepare(`SELECT * FROM releases WHERE status = 'InProgress'`).all() as Raw[]).map(toRow);
  }

  /** Applies `patch` to the release and returns the new row (undefined if it is gone). */
  update(id: number, patch: ReleasePatch): ReleaseRow | undefined {
    const keys = Object.keys(patch) as (keyof ReleasePatch)[];
    if (keys.length > 0) {
      const sets = keys.map((k) => `${COLUMNS[k]} = ?`).join(', ');
      const values = keys.map((k) =>
        JSON_FIELDS.has(k) && patch[k] != null ? JSON.stringify(patch[k]) : patch[k],
      );
      this.db.prepare(`UPDATE releases SET ${sets} WHERE id = ?`).run(...values, id);
    }
    return this.get(id);
  }
}
