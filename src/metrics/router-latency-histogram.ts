import type { Metric } from 'prom-client';
import { LATENCY_BUCKETS_MS } from '../router/latency-histogram.js';
import type { AppMetricsState } from './metrics-source.js';

/** The router's latency bucket bounds in seconds (the `le` values), +Inf left out. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = LATENCY_BUCKETS_MS.map((ms) =>
  Number((ms / 1000).toPrecision(12)),
);

/** A histogram in exposition terms: cumulative buckets ending with +Inf, an estimated sum, a count. */
export interface CumulativeHistogram {
  buckets: { le: string; value: number }[];
  sum: number;
  count: number;
}

/**
 * Turns the router's per-bucket counts (LATENCY_BUCKETS_MS, then +Inf) into cumulative buckets in
 * seconds. The router keeps no sum of latencies, so `sum` is estimated: each finite bucket counts
 * at its midpoint, the +Inf bucket at the largest finite bound (an underestimate). Counts past the
 * last bound all go to +Inf; a negative or non-finite count reads as 0. Pure.
 */
export function cumulativeHistogram(counts: readonly number[]): CumulativeHistogram {
  const buckets: { le: string; value: number }[] = [];
  let seen = 0;
  let sum = 0;
  let lower = 0;
  LATENCY_BUCKETS_SECONDS.forEach((upper, i) => {
    const n = countAt(counts, i);
    seen += n;
    sum += (n * (lower + upper)) / 2;
    lower = upper;
    buckets.push({ le: String(upper), value: seen });
  });
  let overflow = 0;
  for (let i = LATENCY_BUCKETS_SECONDS.length; i < counts.length; i++) overflow += countAt(counts, i);
  seen += overflow;
  sum += overflow * lower;
  buckets.push({ le: '+Inf', value: seen });
  return { buckets, sum: Number(sum.toPrecision(12)), count: seen };
}

function countAt(counts: readonly number[], i: number): number {
  const n = counts[i] ?? 0;
  return Number.isFinite(n) && n > 0 ? n : 0;
}

const NAME = 'wandol_http_request_duration_seconds';
const HELP =
  'Latency of requests through the router, from its cumulative bucket counts. _sum is an estimate ' +
  `from bucket midpoints (the router keeps no exact sum); the +Inf bucket counts at ${LATENCY_BUCKETS_SECONDS.at(-1)} s.`;

type Value = { value: number; labels: Record<string, string>; metricName: string };

/**
 * A histogram collector over the router's bucket counts, read at scrape time: prom-client's own
 * Histogram can only count observations one by one, so this object gives the registry the
 * cumulative buckets, `_sum` and `_count` directly (the shape Histogram.get() returns). Apps the
 * router has no route for have no series.
 */
export function routerLatencyHistogram(snapshot: () => Promise<AppMetricsState[]>): Metric<'app'> {
  const collector = {
    name: NAME,
    help: HELP,
    type: 'histogram',
    aggregator: 'sum',
    async get() {
      const values: Value[] = [];
      for (const state of await snapshot()) {
        if (!state.traffic) continue;
        const { buckets, sum, count } = cumulativeHistogram(state.traffic.latency);
        const app = state.app;
        for (const b of buckets)
          values.push({ value: b.value, labels: { app, le: b.le }, metricName: `${NAME}_bucket` });
        values.push({ value: sum, labels: { app }, metricName: `${NAME}_sum` });
        values.push({ value: count, labels: { app }, metricName: `${NAME}_count` });
      }
      return { name: NAME, help: HELP, type: 'histogram', aggregator: 'sum', values };
    },
    /** Nothing is held between scrapes: Registry.resetMetrics() has nothing to clear. */
    reset(): void {},
  };
  // The registry only reads name/help/type and calls get() and reset(), which this object has;
  // prom-client's types list only its four classes, hence the cast.
  return collector as unknown as Metric<'app'>;
}
