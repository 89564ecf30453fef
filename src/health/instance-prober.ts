import type { Probe } from '../config/app-spec.js';
import type { EffectiveProbes } from './effective-probes.js';
import { probeOnce, type ProbeTarget } from './probe-check.js';

/** Where an instance stands according to its probes. */
export interface ProbeState {
  /** The startup probe passed (or there is none). */
  started: boolean;
  ready: boolean;
  /** Set once the startup probe failed failureThreshold times: the instance will never start. */
  startupFailed: boolean;
  /** Set once liveness failed failureThreshold times in a row: the instance must be restarted. */
  livenessFailed: boolean;
  /** Consecutive failures of the readiness probe (for the reason shown in status). */
  readinessFailures: number;
}

/** Until the first readiness success, check this often at least, so a deploy goes live promptly. */
const FIRST_READY_PERIOD_MS = 250;

/**
 * Watches one instance with Kubernetes probe semantics: the startup probe gates readiness and
 * liveness; readiness flips after successThreshold successes / failureThreshold failures; liveness
 * reports failureThreshold consecutive failures. `onChange` gets every state change. `stop` is
 * idempotent.
 */
export class InstanceProber {
  readonly state: ProbeState;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly probes: EffectiveProbes,
    private readonly target: ProbeTarget,
    private readonly onChange: (state: ProbeState) => void,
    initiallyReady = false,
  ) {
    this.state = {
      started: initiallyReady || !probes.startup,
      ready: initiallyReady || !probes.readiness,
      startupFailed: false,
      livenessFailed: false,
      readinessFailures: 0,
    };
  }

  /** Starts the probe loops. */
  start(): void {
    if (this.probes.startup && !this.state.started)
      this.loop(this.probes.startup, (ok, streak) => this.onStartup(ok, streak));
    else this.afterStarted();
    if (this.state.ready) this.onChange({ ...this.state });
  }

  /** Stops every loop; no callback fires afterwards. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private afterStarted(): void {
    if (this.probes.readiness) this.loop(this.probes.readiness, (ok, streak) => this.onReadiness(ok, streak));
    if (this.probes.liveness) this.loop(this.probes.liveness, (ok, streak) => this.onLiveness(ok, streak));
  }

  private onStartup(ok: boolean, streak: number): boolean {
    if (ok) {
      this.update({ started: true });
      this.afterStarted();
      return false;
    }
    if (streak >= (this.probes.startup?.failureThreshold ?? 1)) {
      this.update({ startupFailed: true });
      return false;
    }
    return true;
  }

  private onReadiness(ok: boolean, streak: number): boolean {
    const probe = this.probes.readiness as Probe;
    if (ok && !this.state.ready && streak >= probe.successThreshold)
      this.update({ ready: true, readinessFailures: 0 });
    else if (ok && this.state.readinessFailures > 0) this.update({ readinessFailures: 0 });
    else if (!ok) {
      const becameUnready = this.state.ready && streak >= probe.failureThreshold;
      this.update(
        becameUnready ? { ready: false, readinessFailures: streak } : { readinessFailures: streak },
      );
    }
    return true;
  }

  private onLiveness(ok: boolean, streak: number): boolean {
    if (!ok && streak >= (this.probes.liveness?.failureThreshold ?? 3)) {
      this.update({ livenessFailed: true });
      return false;
    }
    return true;
  }

  private update(patch: Partial<ProbeState>): void {
    if (this.stopped) return;
    const changed = Object.entries(patch).some(([k, v]) => this.state[k as keyof ProbeState] !== v);
    Object.assign(this.state, patch);
    if (changed) this.onChange({ ...this.state });
  }

  /** Runs `probe` every period; `handle(ok, streak)` returns false to end the loop. */
  private loop(probe: Probe, handle: (ok: boolean, streak: number) => boolean): void {
    let last: boolean | undefined;
    let streak = 0;
    const tick = async (): Promise<void> => {
      if (this.stopped) return;
      const ok = await probeOnce(probe.action, this.target, probe.timeoutMs);
      if (this.stopped) return;
      streak = ok === last ? streak + 1 : 1;
      last = ok;
      if (!handle(ok, streak)) return;
      this.schedule(
        tick,
        this.state.ready || probe !== this.probes.readiness
          ? probe.periodMs
          : Math.min(probe.periodMs, FIRST_READY_PERIOD_MS),
      );
    };
    this.schedule(tick, probe.initialDelayMs);
  }

  private schedule(fn: () => Promise<void>, ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn();
    }, ms);
    this.timers.add(timer);
  }
}
