import { Counter, Gauge, type Registry } from 'prom-client';
import type { TrafficSnapshot } from '../router/route.js';
import { collectFrom, finite, increment } from './collect-from.js';
import type { AppMetricsState, StatusClass } from './metrics-source.js';
import { routerLatencyHistogram } from './router-latency-histogram.js';

/**
 * Responses per status class of one app: the router's own counts when it gives them, else 5xx =
 * `failed` and 2xx = the rest (3xx and 4xx are then counted as 2xx). Empty without traffic. Pure.
 */
export function codeClassCounts(state: AppMetricsState): Partial<Record<StatusClass, number>> {
  if (state.statusClasses) return state.statusClasses;
  const traffic: TrafficSnapshot | undefined = state.traffic;
  if (!traffic) return {};
  return { '2xx': Math.max(0, traffic.requests - traffic.failed), '5xx': traffic.failed };
}

/**
 * Registers the router's traffic series on `registry`, all read through `snapshot` at scrape
 * time: `wandol_http_requests_total{app,code_class}`, `wandol_http_requests_in_flight{app}` and
 * `wandol_http_request_duration_seconds{app}`. Apps without a route have none of them.
 */
export function registerTrafficMetrics(registry: Registry, snapshot: () => Promise<AppMetricsState[]>): void {
  new Counter({
    name: 'wandol_http_requests_total',
    help:
      'Requests answered through the router, by status class (cumulative since the router started). ' +
      'When the router gives no status classes: 5xx = failed requests, 2xx = all others.',
    labelNames: ['app', 'code_class'] as const,
    registers: [registry],
    collect: collectFrom(snapshot, (counter: Counter<'app' | 'code_class'>, apps) => {
      for (const state of apps) {
        for (const [codeClass, n] of Object.entries(codeClassCounts(state))) {
          const v = increment(n);
          if (v !== undefined) counter.inc({ app: state.app, code_class: codeClass }, v);
        }
      }
    }),
  });
  new Gauge({
    name: 'wandol_http_requests_in_flight',
    help: 'Requests the router is forwarding to the app now.',
    labelNames: ['app'] as const,
    registers: [registry],
    collect: collectFrom(snapshot, (gauge: Gauge<'app'>, apps) => {
      for (const state of apps) {
        const v = finite(state.traffic?.inFlight);
        if (v !== undefined) gauge.set({ app: state.app }, v);
      }
    }),
  });
  registry.registerMetric(routerLatencyHistogram(snapshot));
}
