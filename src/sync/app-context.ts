import type { AppSpec } from '../config/app-spec.js';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { Mutex } from '../core/mutex.js';
import type { RouteTarget } from '../router/route.js';
import type { Runtime } from '../runtimes/runtime.js';
import { InstanceTracker, type TrackedInstance } from './instance-tracker.js';
import type { SyncDeps } from './ports.js';

/** The release that receives traffic. */
export interface LiveRelease {
  releaseId: number;
  revision: string;
  spec: AppSpec;
  slot: string;
  workdir: string;
  /** Container runtimes: the image the release runs. */
  image?: string;
}

/** A release kept running after it was replaced, until it is retired (or rolled back to). */
export interface WarmRelease extends LiveRelease {
  /** Aborting it ends the keep-warm wait at once (a newer deploy is starting). */
  keepWarm: AbortController;
}

/**
 * The in-memory state of one app's control loop, shared by its controller, rollout executor and
 * reconciler. The database holds the durable part; this is rebuilt from it and the runtime on start.
 */
export class AppContext {
  live: LiveRelease | null = null;
  /** The release being deployed (its instances are the rollout's business, not the reconciler's). */
  pending: { releaseId: number; spec?: AppSpec; workdir?: string } | null = null;
  readonly warm = new Map<number, WarmRelease>();
  /** A release whose ready instances get traffic beside the live one's (rolling update). */
  admitted: number | null = null;
  /**
   * Called when that longer watch finds trouble once the previous release has stopped: the
   * controller queues a rollback release of `previousId` (no rebuild).
   */
  onWatchFailure: ((releaseId: number, previousId: number, reason: string) => Promise<void>) | undefined;
  /** Replicas set by `wandol scale` or the autoscaler; null: the spec's `replicas`. */
  replicasOverride: number | null = null;
  readonly tracker: InstanceTracker;
  /** Serialises changes to instances and the route between the reconciler and the rollout. */
  readonly lock = new Mutex();
  readonly logger: Logger;
  /** Aborted when the agent stops: background work ends without touching the database. */
  readonly stopSignal: AbortSignal;
  private readonly background = new Set<Promise<unknown>>();
  private lastRouteKey = '';
  private panicking = false;
  private readonly routeLock = new Mutex();

  constructor(
    readonly name: string,
    readonly deps: SyncDeps,
    stopSignal: AbortSignal,
  ) {
    this.stopSignal = stopSignal;
    this.logger = deps.logger.child({ app: name });
    this.tracker = new InstanceTracker(
      (tracked) => this.onProbeChange(tracked),
      (kind, id) => {
        const runtime = deps.runtimeFor(kind);
        return runtime.probeExec && ((command, timeoutMs) => runtime.probeExec!(id, command, timeoutMs));
      },
    );
  }

  /** How many instances a release of `spec` should run now. */
  desiredReplicas(spec: AppSpec): number {
    const wanted = this.replicasOverride ?? spec.replicas;
    const autoscale = spec.autoscale;
    return autoscale ? Math.min(autoscale.max, Math.max(autoscale.min, wanted)) : wanted;
  }

  /**
   * Sets the app's replicas (persisted, so that an agent restart keeps them) and records the event
   * `describe` makes from the count before (null while nothing is live); its data gets `from` and
   * `to` first. The reconciler starts or stops instances within one period.
   */
  setReplicas(
    replicas: number,
    describe: (from: number | null) => { type: string; message: string; data?: Record<string, unknown> },
  ): void {
    const from = this.live ? this.desiredReplicas(this.live.spec) : null;
    this.replicasOverride = replicas;
    this.deps.apps.setReplicas(this.name, replicas);
    const { type, message, data } = describe(from);
    this.deps.record({
      app: this.name,
      releaseId: this.live?.releaseId ?? null,
      type,
      message,
      data: { from, to: replicas, ...data },
    });
  }

  /**
   * The env of an instance of `spec`: its `env` plus the values of the secrets it declares.
   * Throws INVALID_CONFIG naming the command that sets a missing secret.
   */
  instanceEnv(spec: AppSpec): Record<string, string> {
    if (spec.secrets.length === 0) return { ...spec.env };
    const values = this.deps.secrets.values(this.name);
    const missing = spec.secrets.filter((key) => values[key] === undefined);
    if (missing.length > 0) {
      throw new WandolError(
        'INVALID_CONFIG',
        `secret ${missing.join(', ')} of ${this.name} is not set: run \`wandol secret set ${this.name} ${missing[0]}\` (the value is read from stdin)`,
      );
    }
    return { ...spec.env, ...Object.fromEntries(spec.secrets.map((key) => [key, values[key] as string])) };
  }

  /** The runtime of the live (or given) spec. */
  runtime(spec?: AppSpec): Runtime {
    return this.deps.runtimeFor((spec ?? this.live?.spec ?? this.pending?.spec)?.runtime ?? 'process');
  }

  /** The instance id for replica `n` of a release: stable, so restarts and adoption find it again. */
  instanceId(releaseId: number, slot: string, n: number): string {
    return `${this.name}-r${releaseId}-${slot}-${n}`;
  }

  /**
   * Ready, running instances of the live release, and of a release admitted beside it during a
   * rolling update, as router targets.
   */
  liveTargets(): RouteTarget[] {
    if (!this.live) return [];
    const serving = new Set([this.live.releaseId, this.admitted]);
    const candidates = this.tracker
      .all()
      .filter(
        (t) =>
          serving.has(t.spec.releaseId) &&
          !t.retiring &&
          t.instance.phase !== 'Exited' &&
          t.instance.endpoint,
      );
    let chosen = candidates.filter((t) => t.probe.ready);
    // Panic routing (as Envoy does): when no instance passes readiness, a probe timing out on a
    // loaded machine must not turn into a certain 503 for every request: route to the instances
    // that were ready before, and say so.
    const panic = chosen.length === 0 && candidates.some((t) => t.wasReady);
    if (panic) chosen = candidates.filter((t) => t.wasReady);
    // Said once when it starts, not at every route update while it lasts.
    if (panic && !this.panicking)
      this.logger.warn('No instance ready: routing to all that were (panic mode)', {
        instances: chosen.length,
      });
    this.panicking = panic;
    return chosen
      .map((t) => ({ instanceId: t.spec.id, releaseId: t.spec.releaseId, endpoint: t.instance.endpoint! }))
      .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  }

  /**
   * Points the router at the live release's ready instances when that changed (or `force`).
   * Serialised; throws the router's error (PORT_IN_USE…) so a switch can fail the deploy.
   */
  applyRoute(force = false): Promise<void> {
    return this.routeLock.run(async () => {
      const route = this.live?.spec.route;
      if (!route) {
        if (this.lastRouteKey !== 'none') await this.deps.router.removeRoute(this.name);
        this.lastRouteKey = 'none';
        return;
      }
      const spec = { app: this.name, port: route.port, host: route.host, targets: this.liveTargets() };
      const key = JSON.stringify(spec);
      if (!force && key === this.lastRouteKey) return;
      await this.deps.router.setRoute(spec);
      this.lastRouteKey = key;
    });
  }

  /** Runs `work` in the background, tracked so that `idle` can wait for it. Errors are logged. */
  spawn(what: string, work: () => Promise<unknown>): void {
    const running = work().catch((err: unknown) => this.logger.error(`${what} failed`, { err }));
    this.background.add(running);
    void running.finally(() => this.background.delete(running));
  }

  /** Resolves once every background task has settled. */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** Forgets what was last sent to the router (after adoption, the router's own state is the truth). */
  resetRouteCache(): void {
    this.lastRouteKey = '';
  }

  private onProbeChange(tracked: TrackedInstance): void {
    const id = tracked.spec.releaseId;
    if (this.live && (id === this.live.releaseId || id === this.admitted)) {
      this.applyRoute().catch((err: unknown) => this.logger.warn('Route update failed', { err }));
    }
  }
}
