import type { EventEmitter } from 'node:events';
import { Client, Pool } from 'undici';
import type { Endpoint } from '../runtimes/runtime.js';
import type { ReleaseTraffic, RouteTarget, TargetState } from './route.js';

/** How long a target whose connection failed is skipped (while another is up) before it is tried again. */
export const DOWN_RETRY_MS = 1500;

/**
 * Upstream keep-alive pool settings. No headers/body timeout: long requests (minutes) must work, and a
 * client that goes away aborts its upstream request anyway.
 */
const POOL_OPTIONS: Pool.Options = {
  // A handler bug must not take the data plane down: undici reports what a handler throws as a client
  // 'error' event, which would crash the process without a listener.
  factory: (origin, opts) => {
    const client = new Client(origin, opts as Client.Options);
    (client as unknown as EventEmitter).on('error', () => {});
    return client;
  },
  connections: 512,
  pipelining: 1,
  headersTimeout: 0,
  bodyTimeout: 0,
  connectTimeout: 10_000,
};

/** The identity of a target across setRoute calls: same instance, release and endpoint. Pure. */
export function targetKey(t: RouteTarget): string {
  return `${t.instanceId}|${t.releaseId}|${t.endpoint.host}:${t.endpoint.port}`;
}

/** The origin URL of an endpoint (`http://host:port`, IPv6 hosts bracketed). Pure. */
export function endpointOrigin(endpoint: Endpoint): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `http://${host}:${endpoint.port}`;
}

/**
 * One upstream instance as the router holds it: its keep-alive pool, in-flight and cumulative request
 * counts, and whether it is active (receives new requests) or draining. `onIdle` is called once a
 * draining target has no request left; the owner then retires it.
 */
export class Target {
  readonly key: string;
  readonly instanceId: string;
  readonly releaseId: number;
  readonly endpoint: Endpoint;
  readonly pool: Pool;
  inFlight = 0;
  /**
   * Requests and tunnels sent to this target since it was created, one per attempt (a retry counts on
   * the target it went to). Cumulative: the autoscaler takes its rate between two readings.
   */
  requests = 0;
  active = true;
  down = false;
  /** While down: the time after which the target may be tried again. */
  retryAt = 0;

  constructor(
    spec: RouteTarget,
    /** The per-release counters this target's requests are added to. */
    readonly release: ReleaseTraffic,
    private readonly onIdle: (target: Target) => void,
  ) {
    this.key = targetKey(spec);
    this.instanceId = spec.instanceId;
    this.releaseId = spec.releaseId;
    this.endpoint = { host: spec.endpoint.host, port: spec.endpoint.port };
    this.pool = new Pool(endpointOrigin(spec.endpoint), POOL_OPTIONS);
    // A pool error is reported through each request's handler; the event itself must not crash us.
    this.pool.on('connectionError', () => {});
  }

  /** Counts one request (or tunnel) that leaves for this target. */
  enter(): void {
    this.inFlight++;
    this.requests++;
  }

  /** Counts one request (or tunnel) that finished; a draining target that becomes idle is retired. */
  leave(): void {
    if (--this.inFlight === 0 && !this.active) this.onIdle(this);
  }

  /** Marks the target down after a connection failure: skipped while another is up, retried later. */
  markDown(): void {
    this.down = true;
    this.retryAt = Date.now() + DOWN_RETRY_MS;
  }

  /** True when the target may get a request now: up, or down long enough to be tried again. */
  usable(): boolean {
    return !this.down || Date.now() >= this.retryAt;
  }

  /** The target as routes() reports it. */
  state(): TargetState {
    return {
      instanceId: this.instanceId,
      releaseId: this.releaseId,
      endpoint: { ...this.endpoint },
      active: this.active,
      inFlight: this.inFlight,
      requests: this.requests,
      down: this.down,
    };
  }

  /** Closes the pool once its idle connections are done. Never rejects. */
  async close(): Promise<void> {
    await this.pool.close().catch(() => {});
  }

  /** Destroys the pool and aborts whatever still runs through it. Never rejects. */
  async destroy(): Promise<void> {
    await this.pool.destroy().catch(() => {});
  }
}
