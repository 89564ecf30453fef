import type { AppSpec } from '../config/app-spec.js';
import { sleep, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { CounterBases } from './counter-bases.js';
import { cpuUtilization, memoryUtilization, type CpuSample } from './cpu-sampler.js';
import { decide, INITIAL_HPA_STATE, type HpaDecision, type HpaPolicy, type HpaState } from './hpa-policy.js';
import { requestRate, type RequestSample } from './request-rate.js';

/** Priming reads at start, a second apart, until one finds a usage sample. */
const PRIME_TRIES = 10;
const PRIME_RETRY_MS = 1000;

/** What the autoscaler reads from the app spec: `autoscale` and `resources` side by side. */
export type AutoscaleSpec = NonNullable<AppSpec['autoscale']> & AppSpec['resources'];

/** One instance as the metrics port reports it; fields it cannot measure are left out. */
export interface InstanceReading {
  id: string;
  ready: boolean;
  /** CPU seconds used since the instance started (cumulative: the rate is taken between ticks). */
  cpuSeconds?: number;
  /** Resident memory now. */
  memoryBytes?: number;
  /** When cpuSeconds/memoryBytes were read (ms); default: the clock's now. */
  sampledAt?: number;
  /**
   * Requests the router sent to this instance so far (cumulative: the rate is taken between ticks).
   * The count of the instance's router target: a target created again starts at 0.
   */
  requestsTotal?: number;
  /** When requestsTotal was read (ms); default: the clock's now. */
  requestsSampledAt?: number;
}

/** What the metrics port returns: the live release's instances and the replica count the app has now. */
export interface MetricsSnapshot {
  instances: InstanceReading[];
  current: number;
}

/** The ports and settings of one app's autoscaler. */
export interface AutoscalerOptions {
  app: string;
  spec: AutoscaleSpec;
  metrics: () => Promise<MetricsSnapshot>;
  /** Applies a new replica count; `metrics` are the numbers behind `reason` (for the ScaledOut/ScaledIn event). */
  scaleTo: (replicas: number, reason: string, metrics: object) => Promise<void>;
  clock: Clock;
  /** Default 15 s, the HPA sync period. */
  intervalMs?: number;
  logger?: Logger;
}

/**
 * The autoscaling loop of one app: every interval it reads the instances, turns cumulative CPU into
 * utilisation and cumulative request counts into requests per second between two readings, asks the
 * HPA policy (hpa-policy.ts) and calls `scaleTo` when the decision differs from the current count.
 * Keeps the policy state (recommendation history, recent scale events) across ticks and spec updates.
 */
export class Autoscaler {
  private state: HpaState = INITIAL_HPA_STATE;
  private readonly cpu = new CounterBases<CpuSample>();
  private readonly requests = new CounterBases<RequestSample>();
  private spec: AutoscaleSpec;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  /** The priming of a release that went live (updateSpec); stop waits for it too. */
  private priming: Promise<unknown> | undefined;
  private halt = new AbortController();
  private stopped = true;
  private readonly logger: Logger;

  constructor(private readonly opts: AutoscalerOptions) {
    this.spec = opts.spec;
    this.logger = (opts.logger ?? silentLogger).child({ app: opts.app });
  }

  /**
   * Uses `spec` from the next tick on (a new release went live); the history is kept. The new
   * release's instances are read at once (again each second until they have a sample), so that
   * the next tick has their rates.
   */
  updateSpec(spec: AutoscaleSpec): void {
    this.spec = spec;
    if (this.stopped) return;
    this.priming = this.primeWhileUnsampled().catch((err: unknown) =>
      this.logger.debug('Autoscale priming read failed', { err }),
    );
  }

  /**
   * One evaluation: reads the metrics, decides and, when the decision differs from the current count,
   * awaits `scaleTo`. Returns the decision. Throws what the metrics port or `scaleTo` throw; a failed
   * `scaleTo` is not counted against the scale-up rate limit.
   */
  async tick(): Promise<HpaDecision> {
    const snapshot = await this.opts.metrics();
    const now = this.opts.clock.now();
    const instances = snapshot.instances.map((i) => ({
      ready: i.ready,
      cpuUtilization: this.cpuOf(i, now),
      memoryUtilization: memoryUtilization(i.memoryBytes, this.spec.memoryBytes),
      requestsPerSecond: this.rpsOf(i, now),
    }));
    this.forgetGone(snapshot.instances);
    const { decision, state } = decide(
      this.state,
      { policy: policyOf(this.spec), current: snapshot.current, instances },
      now,
    );
    if (decision.desired === snapshot.current) {
      this.state = state;
      return decision;
    }
    try {
      await this.opts.scaleTo(decision.desired, decision.reason, decision.metrics);
      this.state = state;
    } catch (err) {
      this.state = { ...state, events: this.state.events };
      throw err;
    }
    return decision;
  }

  /**
   * Starts ticking every interval. The counters are read first (again each second, up to
   * PRIME_TRIES times, while a just-started release has no usage sample yet), so that the first
   * tick, one interval later, already has a rate to decide on. Idempotent.
   */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.halt = new AbortController();
    this.running = this.primeWhileUnsampled()
      .catch((err: unknown) => this.logger.debug('Autoscale priming read failed', { err }))
      .finally(() => this.schedule());
  }

  /**
   * Reads the metrics and records them as the counters' bases, deciding nothing. Returns how many
   * bases it recorded (0: no instance had a sample yet).
   */
  async prime(): Promise<number> {
    const snapshot = await this.opts.metrics();
    const now = this.opts.clock.now();
    let sampled = 0;
    for (const i of snapshot.instances) {
      this.cpuOf(i, now);
      this.rpsOf(i, now);
      const cpu = i.cpuSeconds !== undefined && this.spec.cpuMillis !== undefined;
      const requests = i.requestsTotal !== undefined && this.spec.targetRequestsPerSecond !== undefined;
      if (cpu || requests) sampled++;
    }
    return sampled;
  }

  private async primeWhileUnsampled(): Promise<void> {
    const { signal } = this.halt;
    for (let tries = 1; !signal.aborted && (await this.prime()) === 0 && tries < PRIME_TRIES; tries++)
      await sleep(PRIME_RETRY_MS, signal).catch(() => undefined);
  }

  /** Stops ticking and waits for a tick in progress. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halt.abort();
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([this.running, this.priming]);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then((d) => this.logger.debug('Autoscale evaluated', { desired: d.desired, reason: d.reason }))
        .catch((err: unknown) => this.logger.warn('Autoscale tick failed', { err }))
        .finally(() => this.schedule());
    }, this.opts.intervalMs ?? 15_000);
    this.timer.unref();
  }

  /** CPU utilisation since this instance's previous reading; undefined on the first one or after a restart. */
  private cpuOf(instance: InstanceReading, now: number): number | undefined {
    if (instance.cpuSeconds === undefined || this.spec.cpuMillis === undefined) return undefined;
    const current = { cpuSeconds: instance.cpuSeconds, sampledAt: instance.sampledAt ?? now };
    const previous = this.cpu.advance(instance.id, current);
    return previous ? cpuUtilization(previous, current, this.spec.cpuMillis) : undefined;
  }

  /** Requests per second since the instance's previous reading; undefined on the first or after a reset. */
  private rpsOf(instance: InstanceReading, now: number): number | undefined {
    if (instance.requestsTotal === undefined) return undefined;
    const current = { requests: instance.requestsTotal, sampledAt: instance.requestsSampledAt ?? now };
    const previous = this.requests.advance(instance.id, current);
    return previous ? requestRate(previous, current) : undefined;
  }

  private forgetGone(instances: readonly InstanceReading[]): void {
    const ids = new Set(instances.map((i) => i.id));
    this.cpu.retain(ids);
    this.requests.retain(ids);
  }
}

/** The HPA policy of an autoscale spec. Pure. */
export function policyOf(spec: AutoscaleSpec): HpaPolicy {
  const policy: HpaPolicy = {
    min: spec.min,
    max: spec.max,
    targetCPUUtilization: spec.targetCPUUtilization,
    scaleDownStabilizationMs: spec.scaleDownStabilizationMs,
  };
  if (spec.targetMemoryUtilization !== undefined)
    policy.targetMemoryUtilization = spec.targetMemoryUtilization;
  if (spec.targetRequestsPerSecond !== undefined)
    policy.targetRequestsPerSecond = spec.targetRequestsPerSecond;
  return policy;
}
