import type { HealthStatus } from '../health/health-status.js';
import type { TrafficSnapshot } from '../router/route.js';

/** The HTTP status classes the router may count responses in. */
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

/** One instance of an app as the metrics see it. */
export interface InstanceMetricsState {
  id: string;
  /** The release id the instance runs. */
  release: number;
  /** Cumulative CPU time of the instance's process (runtimes that measure it). */
  cpuSeconds?: number;
  memoryBytes?: number;
  /** The agent's restart count of this instance: a crash-loop streak that may go back to 1 or 0. */
  restarts: number;
}

/** What one app is now, read at every scrape. */
export interface AppMetricsState {
  app: string;
  /** One of Argo CD's names. */
  health: HealthStatus;
  replicasDesired: number;
  replicasReady: number;
  /** The router's cumulative counters; absent when the router has no route for the app. */
  traffic?: TrafficSnapshot;
  /** Cumulative responses per status class, when the router gives them. */
  statusClasses?: Record<StatusClass, number>;
  instances: InstanceMetricsState[];
}

/**
 * The port the agent implements for the Prometheus exposition: every value that is not pushed
 * (deploys and builds are) is read through it at scrape time. A rejection fails the scrape.
 */
export interface MetricsSource {
  /** Every app with what it is now. */
  apps(): Promise<AppMetricsState[]>;
}

/**
 * Wraps `source` so that every caller during one scrape shares a single `apps()` call: the
 * collectors of one render start together, so they all get the promise that is still pending.
 * Once it settles, the next call reads the source afresh (nothing is cached between scrapes).
 */
export function sharedSnapshot(source: MetricsSource): () => Promise<AppMetricsState[]> {
  let pending: Promise<AppMetricsState[]> | undefined;
  return () => {
    if (pending) return pending;
    const load = source.apps();
    pending = load;
    const clear = (): void => {
      if (pending === load) pending = undefined;
    };
    load.then(clear, clear);
    return load;
  };
}
