import { Autoscaler, type MetricsSnapshot } from '../autoscale/autoscaler.js';
import { systemClock } from '../core/clock.js';
import type { AppContext } from './app-context.js';

/**
 * Runs the app's autoscaler while its live spec has `autoscale`, fed with the live release's
 * instances (their CPU and memory as the runtime samples them), and applies its decisions as the
 * app's replicas (persisted, so an agent restart does not scale in). `sync` is idempotent.
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
    const instances = this.ctx.tracker.ofRelease(live.releaseId).map((t) => ({
      id: t.spec.id,
      ready: t.probe.ready,
      cpuSeconds: t.instance.usage?.cpuSeconds,
      memoryBytes: t.instance.usage?.memoryBytes,
      sampledAt: t.instance.usage?.sampledAt,
    }));
    return { instances, current: this.ctx.desiredReplicas(live.spec) };
  }

  private async scaleTo(replicas: number, reason: string, metrics: object): Promise<void> {
    const live = this.ctx.live;
    if (!live) return;
    const from = this.ctx.desiredReplicas(live.spec);
    this.ctx.replicasOverride = replicas;
    this.ctx.deps.apps.setReplicas(this.ctx.name, replicas);
    this.ctx.deps.record({
      app: this.ctx.name,
      releaseId: live.releaseId,
      type: replicas > from ? 'ScaledOut' : 'ScaledIn',
      message: `${replicas > from ? 'scaled out' : 'scaled in'} from ${from} to ${replicas}: ${reason}`,
      data: { from, to: replicas, reason, metrics },
    });
  }
}
