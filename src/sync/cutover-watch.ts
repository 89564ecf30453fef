import { sleep } from '../core/clock.js';
import type { ReleaseTraffic, TrafficSnapshot } from '../router/route.js';
import type { AppContext } from './app-context.js';

/** Fewer requests than this in the watch say nothing about an error rate. */
const MIN_REQUESTS = 20;
const CHECK_EVERY_MS = 250;

/**
 * Watches a release that just went live while the previous one is kept warm: returns why it must
 * be rolled back (an instance crashed, lost readiness, or its 5xx rate clearly exceeds the previous
 * release's), or undefined when the watch ends (time up, `signal` aborted, or it was replaced).
 */
export async function watchCutover(
  ctx: AppContext,
  releaseId: number,
  previousId: number,
  durationMs: number,
  signal: AbortSignal,
): Promise<string | undefined> {
  const base = ctx.deps.releases.get(releaseId)?.trafficBase ?? undefined;
  const deadline = Date.now() + durationMs;
  while (Date.now() < deadline && !signal.aborted) {
    await sleep(CHECK_EVERY_MS, signal).catch(() => undefined);
    if (signal.aborted || ctx.live?.releaseId !== releaseId) return undefined;
    const reason =
      instanceTrouble(ctx, releaseId) ?? (await errorRateTrouble(ctx, releaseId, previousId, base));
    if (reason) return reason;
  }
  return undefined;
}

/**
 * A crash of one of the release's instances, or readiness lost by one that was ready. Instances
 * being retired (scale-in) and new ones not yet ready (scale-out) are no sign of a bad release.
 */
function instanceTrouble(ctx: AppContext, releaseId: number): string | undefined {
  for (const tracked of ctx.tracker.ofRelease(releaseId)) {
    if (tracked.retiring) continue;
    if (tracked.instance.phase === 'Exited' || tracked.restarts > 0) {
      const exit = tracked.lastExit;
      const how =
        exit?.reason ?? (exit?.signal ? `killed by ${exit.signal}` : `exit code ${exit?.code ?? '?'}`);
      return `instance ${tracked.spec.id} crashed after the cut-over (${how})`;
    }
    if (tracked.wasReady && !tracked.probe.ready)
      return `instance ${tracked.spec.id} failed its readiness probe after the cut-over`;
  }
  return undefined;
}

async function errorRateTrouble(
  ctx: AppContext,
  releaseId: number,
  previousId: number,
  base: TrafficSnapshot | undefined,
): Promise<string | undefined> {
  const now = await ctx.deps.router.traffic(ctx.name).catch(() => undefined);
  if (!now) return undefined;
  const fresh = delta(
    now.byRelease[releaseId],
    base?.since === now.since ? base.byRelease[releaseId] : undefined,
  );
  if (fresh.requests < MIN_REQUESTS) return undefined;
  const rate = fresh.failed / fresh.requests;
  const before = base?.byRelease[previousId];
  const previousRate = before && before.requests > 0 ? before.failed / before.requests : 0;
  if (rate <= Math.max(0.05, previousRate * 2)) return undefined;
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  return `5xx rate ${pct(rate)} over ${fresh.requests} requests, against ${pct(previousRate)} for the previous release`;
}

function delta(now: ReleaseTraffic | undefined, then: ReleaseTraffic | undefined): ReleaseTraffic {
  return {
    requests: (now?.requests ?? 0) - (then?.requests ?? 0),
    failed: (now?.failed ?? 0) - (then?.failed ?? 0),
  };
}
