import type { RuntimeKind } from '../config/app-spec.js';
import type { EffectiveProbes } from '../health/effective-probes.js';
import { InstanceProber, type ProbeState } from '../health/instance-prober.js';
import type { ProbeTarget } from '../health/probe-check.js';
import type { Instance, InstanceSpec } from '../runtimes/runtime.js';

/** One instance as the control plane follows it: what was asked, what runs, what its probes say. */
export interface TrackedInstance {
  spec: InstanceSpec;
  runtime: RuntimeKind;
  instance: Instance;
  probe: ProbeState;
  prober?: InstanceProber;
  restarts: number;
  /** Being drained and stopped: it gets no new request. */
  retiring?: boolean;
  /** It passed readiness at least once since it started. */
  wasReady?: boolean;
  lastExit: {
    code: number | null;
    signal: string | null;
    at: number;
    reason?: string;
    /** The instance's last log lines before it exited. */
    logTail?: string[];
  } | null;
  /** When the reconciler may start it again (exponential backoff after a crash). */
  restartAt?: number;
}

/**
 * The instances of one app that the control plane knows, with a prober per running instance.
 * `onProbeChange` fires on every readiness/liveness change so the route can follow at once.
 */
export class InstanceTracker {
  private readonly byId = new Map<string, TrackedInstance>();

  constructor(
    private readonly onProbeChange: (tracked: TrackedInstance) => void,
    /** How exec probes run inside an instance of this runtime, when they do not run on the host. */
    private readonly execIn: (runtime: RuntimeKind, id: string) => ProbeTarget['exec'] = () => undefined,
  ) {}

  /** Starts following a running instance (replacing any record of the same id) and its probes. */
  track(
    spec: InstanceSpec,
    runtime: RuntimeKind,
    instance: Instance,
    probes: EffectiveProbes,
    initiallyReady = false,
  ): TrackedInstance {
    const previous = this.byId.get(spec.id);
    previous?.prober?.stop();
    const tracked: TrackedInstance = {
      spec,
      runtime,
      instance,
      probe: {
        started: false,
        ready: false,
        startupFailed: false,
        livenessFailed: false,
        readinessFailures: 0,
      },
      restarts: previous?.restarts ?? 0,
      lastExit: previous?.lastExit ?? null,
    };
    const target = {
      host: instance.endpoint?.host ?? '127.0.0.1',
      port: instance.endpoint?.port,
      workdir: spec.workdir,
      env: spec.env,
      exec: this.execIn(runtime, spec.id),
    };
    tracked.prober = new InstanceProber(
      probes,
      target,
      (state) => {
        tracked.probe = state;
        if (state.ready) tracked.wasReady = true;
        this.onProbeChange(tracked);
      },
      initiallyReady,
    );
    tracked.probe = { ...tracked.prober.state };
    tracked.wasReady = tracked.probe.ready;
    this.byId.set(spec.id, tracked);
    tracked.prober.start();
    return tracked;
  }

  /** Records that the instance exited: its prober stops and it counts as not ready. */
  markExited(id: string, instance: Instance): void {
    const tracked = this.byId.get(id);
    if (!tracked) return;
    tracked.prober?.stop();
    tracked.prober = undefined;
    tracked.instance = instance;
    tracked.probe = { ...tracked.probe, ready: false };
    tracked.lastExit = {
      code: instance.exitCode ?? null,
      signal: instance.signal ?? null,
      at: instance.exitedAt ?? Date.now(),
      reason: instance.reason,
    };
  }

  /** Stops following the instance. Idempotent. */
  untrack(id: string): void {
    this.byId.get(id)?.prober?.stop();
    this.byId.delete(id);
  }

  get(id: string): TrackedInstance | undefined {
    return this.byId.get(id);
  }

  all(): TrackedInstance[] {
    return [...this.byId.values()];
  }

  /** Instances of one release. */
  ofRelease(releaseId: number): TrackedInstance[] {
    return this.all().filter((t) => t.spec.releaseId === releaseId);
  }

  /** Stops every prober (the agent is stopping; instances keep running). */
  stopAll(): void {
    for (const tracked of this.byId.values()) tracked.prober?.stop();
  }
}
