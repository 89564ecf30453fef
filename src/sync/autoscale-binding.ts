import { Autoscaler, type InstanceReading, type MetricsSnapshot } from '../autoscale/autoscaler.js';
import { systemClock } from '../core/clock.js';
import type { AppContext, LiveRelease } from './app-context.js';
import { routeRequests } from './route-requests.js';

/**
 * Runs the app's autoscaler while its live spec has `autoscale`, fed with the live release's
 * instances (their CPU and memory as the runtime samples them and, with targetRequestsPerSecond, the
 * requests the router sent to each), and applies its decisions as the app's replicas (persisted, so
 * an agent restart does not scale in). `sync` is idempotent.
 */
export class AutoscaleBinding {
  private autoscaler: Autoscaler | undefined;
  private releaseId: number | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly intervalMs = 15_000,
  ) {}

  /** Starts, updates or stops the autoscaler to follow the live spec. */
  async sync(): Promise<void> {
    const live = this.ctx.live;
    const autoscale = live?.spec.autoscale;
    if (!live || !autoscale) return this.stop();
    const spec = { ...autoscale, ...live.spec.resources };
    if (this.autoscaler && this.releaseId === live.releaseId) return;
    this.releaseId = live.releaseId;
    if (this.autoscaler) return this.autoscaler.updateSpec(spec);
    this.autoscaler = new Autoscaler({
      app: this.ctx.name,
      spec,
      metrics: () => this.metrics(),
      scaleTo: (n, reason, metrics) => this.scaleTo(n, reason, metrics),
      clock: systemClock,
      intervalMs: this.intervalMs,
      logger: this.ctx.logger,
    });
    this.autoscaler.start();
  }

  /** Stops the loop (waits for a tick in progress). Idempotent. */
  async stop(): Promise<void> {
    const running = this.autoscaler;
    this.autoscaler = undefined;
    this.releaseId = undefined;
    await running?.stop();
  }

  private async metrics(): Promise<MetricsSnapshot> {
    const live = this.ctx.live;
    if (!live || this.ctx.pending) return { instances: [], current: 0 };
    const requests = await this.requestCounts(live);
    // A deploy may have started while the router answered: nothing to measure then.
    if (this.ctx.live?.releaseId !== live.releaseId || this.ctx.pending) return { instances: [], current: 0 };
    const instances = this.ctx.tracker.ofRelease(live.releaseId).map((t) => {
      const reading: InstanceReading = {
        id: t.spec.id,
        ready: t.probe.ready,
        cpuSeconds: t.instance.usage?.cpuSeconds,
        memoryBytes: t.instance.usage?.memoryBytes,
        sampledAt: t.instance.usage?.sampledAt,
      };
      const total = requests?.counts.get(t.spec.id);
      if (requests !== undefined && total !== undefined) {
        reading.requestsTotal = total;
        reading.requestsSampledAt = requests.at;
      }
      return reading;
    });
    return { instances, current: this.ctx.desiredReplicas(live.spec) };
  }

  /**
   * The router's cumulative request count of each live instance and when it was read, when the spec
   * scales on requests per second; undefined otherwise or when the router cannot be read (no request
   * samples this tick: the autoscaler then does not scale in).
   */
  private async requestCounts(
    live: LiveRelease,
  ): Promise<{ counts: Map<string, number>; at: number } | undefined> {
    if (live.spec.autoscale?.targetRequestsPerSecond === undefined) return undefined;
    try {
      const routes = await this.ctx.deps.router.routes();
      return { counts: routeRequests(routes, this.ctx.name, live.releaseId), at: systemClock.now() };
    } catch (err) {
      this.ctx.logger.debug('Request counts unavailable for autoscaling', { err });
      return undefined;
    }
  }

  private async scaleTo(replicas: number, reason: string, metrics: object): Promise<void> {
    if (!this.ctx.live) return;
    this.ctx.setReplicas(replicas, (from) => {
      const out = replicas > (from ?? 0);
      return {
        type: out ? 'ScaledOut' : 'ScaledIn',
        message: `${out ? 'scaled out' : 'scaled in'} from ${from} to ${replicas}: ${reason}`,
        data: { reason, metrics },
      };
    });
  }
}
