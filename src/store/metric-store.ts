import type { MetricPoint } from '../api/wire.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Db } from './database.js';

/** How long points are kept. */
export const METRIC_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

type Raw = {
  at: number;
  rps: number;
  p99_ms: number | null;
  eps: number;
  cpu_cores: number;
  memory_bytes: number;
  ready: number;
  desired: number;
};

const toPoint = (r: Raw): MetricPoint => ({
  at: r.at,
  requestsPerSecond: r.rps,
  p99Ms: r.p99_ms,
  errorsPerSecond: r.eps,
  cpuCores: r.cpu_cores,
  memoryBytes: r.memory_bytes,
  replicasReady: r.ready,
  replicasDesired: r.desired,
});

/**
 * The apps' figures over time (table metric_points), one row per app and interval start. Points
 * older than the retention are pruned on every insert. Synchronous, like better-sqlite3.
 */
export class MetricStore {
  private readonly clock: Clock;
  private readonly retentionMs: number;

  constructor(
    private readonly db: Db,
    opts: { clock?: Clock; retentionMs?: number } = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.retentionMs = opts.retentionMs ?? METRIC_RETENTION_MS;
  }

  /** Stores (or replaces, same app and `at`) one point, then drops points past the retention. */
  insert(app: string, p: MetricPoint): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO metric_points (app, at, rps, p99_ms, eps, cpu_cores, memory_bytes, ready, desired)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        app,
        Math.round(p.at),
        p.requestsPerSecond,
        p.p99Ms,
        p.errorsPerSecond,
        p.cpuCores,
        Math.round(p.memoryBytes),
        p.replicasReady,
        p.replicasDesired,
      );
    this.db.prepare(`DELETE FROM metric_points WHERE at < ?`).run(this.clock.now() - this.retentionMs);
  }

  /** The app's points with `at >= since`, oldest first, at most `limit` (the newest ones). */
  list(app: string, since: number, limit = 100_000): MetricPoint[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM (SELECT * FROM metric_points WHERE app = ? AND at >= ? ORDER BY at DESC LIMIT ?)
         ORDER BY at`,
      )
      .all(app, Math.floor(since), limit) as Raw[];
    return rows.map(toPoint);
  }

  /**
   * The app's points since `since`, averaged into buckets of `stepMs` (aligned on multiples of it),
   * oldest first: rates, CPU and memory are averaged, p99 is the worst, ready replicas the fewest
   * and desired the most, so that a short dip stays visible.
   */
  rollup(app: string, since: number, stepMs: number): MetricPoint[] {
    const step = Math.max(1, Math.round(stepMs));
    const rows = this.db
      .prepare(
        `SELECT (at / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS bucket, AVG(rps) AS rps, MAX(p99_ms) AS p99_ms, AVG(eps) AS eps,
                AVG(cpu_cores) AS cpu_cores, AVG(memory_bytes) AS memory_bytes,
                MIN(ready) AS ready, MAX(desired) AS desired
         FROM metric_points WHERE app = ? AND at >= ? GROUP BY bucket ORDER BY bucket`,
      )
      .all(step, step, app, Math.floor(since)) as (Omit<Raw, 'at'> & { bucket: number })[];
    return rows.map((r) => toPoint({ ...r, at: r.bucket }));
  }

  /** How many points the app has since `since`. */
  count(app: string, since: number): number {
    const row = this.db
      .prepare(`SELECT COUNT(*) AS n FROM metric_points WHERE app = ? AND at >= ?`)
      .get(app, Math.floor(since)) as { n: number };
    return row.n;
  }

  /** Removes every point of the app (when the app is removed). Idempotent. */
  removeApp(app: string): void {
    this.db.prepare(`DELETE FROM metric_points WHERE app = ?`).run(app);
  }
}
