import type { Endpoint } from '../runtimes/runtime.js';

/** One ready instance that may receive requests for an app. */
export interface RouteTarget {
  instanceId: string;
  releaseId: number;
  endpoint: Endpoint;
}

/**
 * What the control plane asks the router to serve for one app. Replacing `targets` is the atomic
 * switch: targets left out get no new request and drain (their in-flight requests finish).
 */
export interface RouteSpec {
  app: string;
  /** A dedicated listener on this port (bound on the router's listen host). */
  port?: number;
  /** A Host name served on the shared listener (`--http-port`). */
  host?: string;
  targets: RouteTarget[];
}

/** A target as the router holds it now. */
export interface TargetState extends RouteTarget {
  /** false once the target was left out of the route: it is draining. */
  active: boolean;
  inFlight: number;
  /**
   * Requests and tunnels sent to this target since the router created it (one per attempt: a retry
   * counts on the target it went to). Kept across setRoute while the target stays; a target created
   * again starts at 0. This router always sets it; a data plane older than the field leaves it out,
   * so readers must treat it as optional.
   */
  requests?: number;
  /** true after a connection to it failed, until a request to it succeeds again. */
  down: boolean;
}

/** A route as the router holds it now: active targets and those still draining. */
export interface RouteState {
  app: string;
  port?: number;
  host?: string;
  targets: TargetState[];
}

/** Request counters of one release through the router. */
export interface ReleaseTraffic {
  requests: number;
  failed: number;
}

/**
 * Cumulative traffic counters of one app since the router started. Snapshots taken at two moments
 * are subtracted to get a window's figures (see latency-histogram.ts).
 */
export interface TrafficSnapshot {
  app: string;
  /** When the counters started (router start); a different value means they were reset. */
  since: number;
  requests: number;
  /** Responses with a 5xx status (router-made or upstream) and requests aborted by an upstream failure. */
  failed: number;
  inFlight: number;
  /** Counts per bucket of LATENCY_BUCKETS_MS (not cumulative), the last bucket being +Inf. */
  latency: number[];
  byRelease: Record<string, ReleaseTraffic>;
}

/**
 * The control port of the router. The router runs in the data-plane process; the agent drives it
 * through a client of this interface over the local socket.
 */
export interface RouterControl {
  /** Creates or replaces the app's route (atomic). Throws PORT_IN_USE if a dedicated port is taken. */
  setRoute(spec: RouteSpec): Promise<void>;
  /** Removes the app's route and closes its dedicated listener. Idempotent. */
  removeRoute(app: string): Promise<void>;
  routes(): Promise<RouteState[]>;
  /** The app's counters, or undefined when the router has no route for it. */
  traffic(app: string): Promise<TrafficSnapshot | undefined>;
}
