import type { MetricPoint } from '../api/wire.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { quantile, subtract } from '../router/latency-histogram.js';

/** Cumulative counters of one app at one moment, as the sampler's source reads them. */
export interface AppCounters {
  app: string;
  /** Requests through the router since it started. */
  requests: number;
  /** Of them, 5xx answers and upstream failures. */
  failed: number;
  /** Router latency histogram counts (per bucket of LATENCY_BUCKETS_MS, +Inf last). */
  latency: number[];
  /** CPU seconds used by the app's instances (a counter that only grows). */
  cpuSeconds: number;
  /** Memory in use now by the app's instances. */
  memoryBytes: number;
  ready: number;
  desired: number;
}

/** Where the sampler stores its points. */
export interface MetricSink {
  insert(app: string, point: MetricPoint): void;
}

/** Options of the sampler: its store, its source, the interval (default 10 s) and the clock. */
export interface MetricSamplerOptions {
  store: MetricSink;
  source: () => Promise<AppCounters[]>;
  intervalMs?: number;
  clock?: Clock;
  logger?: Logger;
}

type Sample = AppCounters & { at: number };

/**
 * Rolls the apps' counters up into one MetricPoint per app and interval: every `intervalMs` it reads
 * the source and stores, for each app seen at the previous tick too, the rates over the interval
 * (requests/s, 5xx/s, p99 from the histogram's difference, CPU cores = ΔCPU-seconds / Δt) at the
 * interval's start. A counter that went down (router restarted) counts from zero.
 */
export class MetricSampler {
  readonly intervalMs: number;
  private readonly clock: Clock;
  private readonly last = new Map<string, Sample>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: MetricSamplerOptions) {
    this.intervalMs = opts.intervalMs ?? 10_000;
    this.clock = opts.clock ?? systemClock;
  }

  /** Takes a first sample now, then one every interval. Idempotent. */
  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      this.running = this.sample().finally(() => (this.running = undefined));
    };
    this.timer = setInterval(() => !this.running && tick(), this.intervalMs);
    this.timer.unref();
    tick();
  }

  /** Stops sampling and waits for a sample in progress. Idempotent. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Reads the source once and stores the points of the interval since the previous read. Never throws. */
  async sample(): Promise<void> {
    let counters: AppCounters[];
    try {
      counters = await this.opts.source();
    } catch (err) {
      this.opts.logger?.warn('Metric sample failed', { err });
      return;
    }
    const at = this.clock.now();
    const seen = new Set<string>();
    for (const now of counters) {
      seen.add(now.app);
      const before = this.last.get(now.app);
      this.last.set(now.app, { ...now, at });
      if (!before || at <= before.at) continue;
      try {
        this.opts.store.insert(now.app, pointBetween(before, { ...now, at }));
      } catch (err) {
        this.opts.logger?.warn('Metric point not stored', { app: now.app, err });
      }
    }
    for (const app of this.last.keys()) if (!seen.has(app)) this.last.delete(app);
  }
}

/** The point of the interval between two samples of one app. Pure. */
export function pointBetween(before: Sample, now: Sample): MetricPoint {
  const seconds = (now.at - before.at) / 1000;
  const reset = now.requests < before.requests;
  const requests = reset ? now.requests : now.requests - before.requests;
  const failed = reset ? now.failed : Math.max(0, now.failed - before.failed);
  const latency = reset ? now.latency : subtract(now.latency, before.latency);
  const cpu = now.cpuSeconds >= before.cpuSeconds ? now.cpuSeconds - before.cpuSeconds : now.cpuSeconds;
  return {
    at: before.at,
    requestsPerSecond: round(requests / seconds),
    p99Ms: quantile(latency, 0.99),
    errorsPerSecond: round(failed / seconds),
    cpuCores: round(cpu / seconds),
    memoryBytes: now.memoryBytes,
    replicasReady: now.ready,
    replicasDesired: now.desired,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
