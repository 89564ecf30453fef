import { emptyHistogram, observe } from './latency-histogram.js';
import type { ReleaseTraffic, TrafficSnapshot } from './route.js';

/**
 * The cumulative traffic counters of one app (see TrafficSnapshot). Lives as long as the app's route:
 * it survives setRoute and is dropped by removeRoute. Mutated on the hot path; O(1) per request.
 */
export class AppTraffic {
  requests = 0;
  failed = 0;
  inFlight = 0;
  private readonly latency = emptyHistogram();
  private readonly releases = new Map<number, ReleaseTraffic>();

  constructor(readonly since: number) {}

  /** The counters of one release, created at zero on first use. */
  release(releaseId: number): ReleaseTraffic {
    let counters = this.releases.get(releaseId);
    if (counters === undefined) {
      counters = { requests: 0, failed: 0 };
      this.releases.set(releaseId, counters);
    }
    return counters;
  }

  /** Adds one finished request: to the release that served it (if any), failed or not, and its latency. */
  record(release: ReleaseTraffic | undefined, failed: boolean, latencyMs: number): void {
    this.requests++;
    if (failed) this.failed++;
    if (release !== undefined) {
      release.requests++;
      if (failed) release.failed++;
    }
    observe(this.latency, latencyMs);
  }

  /** A copy of the counters, safe to keep and compare. */
  snapshot(app: string): TrafficSnapshot {
    const byRelease: Record<string, { requests: number; failed: number }> = {};
    for (const [id, counters] of this.releases) byRelease[String(id)] = { ...counters };
    return {
      app,
      since: this.since,
      requests: this.requests,
      failed: this.failed,
      inFlight: this.inFlight,
      latency: [...this.latency],
      byRelease,
    };
  }
}
