import type { HealthStatus } from '../health/health-status.js';
import { emptyHistogram, observe } from '../router/latency-histogram.js';
import type { AppMetricsState, MetricsSource } from './metrics-source.js';

/**
 * A scripted app state for tests and benchmarks (the agent wires the real source): `requests`
 * requests of which `failed` failed, latencies spread over 3–400 ms, two instances of release 1.
 */
export function scriptedApp(
  app: string,
  opts: { requests?: number; failed?: number; health?: HealthStatus; instances?: number } = {},
): AppMetricsState {
  const requests = opts.requests ?? 100;
  const failed = opts.failed ?? 0;
  const latency = emptyHistogram();
  const spread = [3, 8, 20, 40, 90, 400];
  for (let i = 0; i < requests; i++) observe(latency, spread[i % spread.length]!);
  return {
    app,
    health: opts.health ?? 'Healthy',
    replicasDesired: opts.instances ?? 2,
    replicasReady: opts.instances ?? 2,
    traffic: {
      app,
      since: 1_700_000_000_000,
      requests,
      failed,
      inFlight: 1,
      latency,
      byRelease: { '1': { requests, failed } },
    },
    instances: Array.from({ length: opts.instances ?? 2 }, (_, n) => ({
      id: `${app}-r1-blue-${n}`,
      release: 1,
      cpuSeconds: 1.5 + n,
      memoryBytes: 50_000_000 + n,
      restarts: n,
    })),
  };
}

/**
 * A MetricsSource that answers what the test set in `states` (mutable between scrapes) and counts
 * its calls; set `failWith` to make the next reads reject. Scripted: the agent wires the real one.
 */
export class ScriptedMetricsSource implements MetricsSource {
  calls = 0;
  failWith: Error | undefined;

  constructor(public states: AppMetricsState[]) {}

  async apps(): Promise<AppMetricsState[]> {
    this.calls++;
    if (this.failWith) throw this.failWith;
    return this.states;
  }
}
