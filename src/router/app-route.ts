import type { Logger } from '../core/logger.js';
import { pickTarget } from './balancer.js';
import type { RouteState, RouteTarget } from './route.js';
import { Target, targetKey } from './target.js';
import { AppTraffic } from './traffic.js';

/**
 * One app's route inside the router: its active targets (those that get new requests), the draining ones
 * (left out by the last setRoute, still finishing requests) and its traffic counters. The object lives as
 * long as the route, so listeners hold it and always see the latest targets.
 */
export class AppRoute {
  port: number | undefined;
  host: string | undefined;
  /** Targets that get new requests; replaced as a whole (never mutated) so a pick never sees a half-update. */
  active: readonly Target[] = [];
  readonly traffic: AppTraffic;
  readonly log: Logger;
  /** Active and draining targets. */
  private all: Target[] = [];
  private cursor = 0;
  private readonly retire = (target: Target): void => this.retireTarget(target);

  constructor(
    readonly app: string,
    since: number,
    logger: Logger,
  ) {
    this.traffic = new AppTraffic(since);
    this.log = logger.child({ app });
  }

  /** Picks the target for a new request (see pickTarget); undefined when no target is active. */
  pick(exclude?: ReadonlySet<Target>): Target | undefined {
    const active = this.active;
    if (active.length === 0) return undefined;
    return pickTarget(active, this.cursor++ & 0x3fffffff, exclude);
  }

  /**
   * Makes `targets` the active set, synchronously. Targets already held (same instance, release and
   * endpoint) keep their state; new ones get a pool; the others drain and are retired once idle.
   */
  setTargets(targets: readonly RouteTarget[]): void {
    const previous = new Map(this.all.map((t) => [t.key, t] as const));
    const next: Target[] = [];
    for (const spec of targets) {
      const key = targetKey(spec);
      if (next.some((t) => t.key === key)) continue;
      const kept = previous.get(key);
      previous.delete(key);
      next.push(kept ?? new Target(spec, this.traffic.release(spec.releaseId), this.retire));
    }
    for (const t of next) t.active = true;
    const draining = [...previous.values()];
    for (const t of draining) t.active = false;
    this.active = next;
    this.all = [...next, ...draining.filter((t) => t.inFlight > 0)];
    for (const t of draining) if (t.inFlight === 0) void t.close();
    for (const t of draining) if (t.inFlight > 0) this.log.debug('Target draining', this.fields(t));
  }

  /** The route as routes() reports it: active targets first, then draining ones. */
  state(): RouteState {
    const state: RouteState = { app: this.app, targets: this.all.map((t) => t.state()) };
    if (this.port !== undefined) state.port = this.port;
    if (this.host !== undefined) state.host = this.host;
    return state;
  }

  /** True while some target still exists (active or draining). */
  hasTargets(): boolean {
    return this.all.length > 0;
  }

  /** Destroys every pool at once (router shutdown); in-flight requests are aborted. */
  async destroy(): Promise<void> {
    const targets = this.all;
    this.active = [];
    this.all = [];
    await Promise.all(targets.map((t) => t.destroy()));
  }

  private retireTarget(target: Target): void {
    this.all = this.all.filter((t) => t !== target);
    this.log.debug('Target drained', this.fields(target));
    void target.close();
  }

  private fields(t: Target): Record<string, unknown> {
    return { instanceId: t.instanceId, releaseId: t.releaseId, port: t.endpoint.port };
  }
}
