import type { ReleaseTrafficFigures } from '../api/wire.js';
import { quantile, subtract } from '../router/latency-histogram.js';
import type { TrafficSnapshot } from '../router/route.js';

/**
 * The traffic figures of a cut-over window from the app's counters when it opened (`base`) and
 * now. If the router restarted in between (`since` differs), the counters since its restart are
 * used. Pure.
 */
export function windowFigures(
  base: TrafficSnapshot,
  now: TrafficSnapshot | undefined,
  window: ReleaseTrafficFigures['window'],
): ReleaseTrafficFigures {
  if (!now) return { requests: 0, failed: 0, p99Ms: null, window };
  const from = now.since === base.since ? base : undefined;
  const latency = from ? subtract(now.latency, from.latency) : now.latency;
  return {
    requests: Math.max(0, now.requests - (from?.requests ?? 0)),
    failed: Math.max(0, now.failed - (from?.failed ?? 0)),
    p99Ms: quantile(latency, 0.99),
    window,
  };
}
