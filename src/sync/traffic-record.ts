import type { ReleaseTrafficFigures } from '../api/wire.js';
import { emptyHistogram } from '../router/latency-histogram.js';
import type { TrafficSnapshot } from '../router/route.js';
import type { ReleaseRow } from '../store/release-store.js';
import type { AppContext } from './app-context.js';
import { windowFigures } from './traffic-window.js';

async function snapshot(ctx: AppContext): Promise<TrafficSnapshot | undefined> {
  try {
    return await ctx.deps.router.traffic(ctx.name);
  } catch (err) {
    ctx.logger.warn('Router counters unavailable', { err });
    return undefined;
  }
}

/** Opens the release's cut-over window: stores the app's router counters as they are now. */
export async function openTrafficWindow(ctx: AppContext, releaseId: number): Promise<void> {
  const base = (await snapshot(ctx)) ?? {
    app: ctx.name,
    since: -1,
    requests: 0,
    failed: 0,
    inFlight: 0,
    latency: emptyHistogram(),
    byRelease: {},
  };
  ctx.deps.releases.update(releaseId, { trafficBase: base });
}

/** Closes the window: stores the figures of the requests served since it opened. Never throws. */
export async function closeTrafficWindow(ctx: AppContext, releaseId: number): Promise<void> {
  const row = ctx.deps.releases.get(releaseId);
  if (!row?.trafficBase || row.traffic) return;
  const { requests, failed, p99Ms } = windowFigures(row.trafficBase, await snapshot(ctx), 'closed');
  ctx.deps.releases.update(releaseId, { traffic: { requests, failed, p99Ms } });
  ctx.logger.info('Traffic window closed', { release: releaseId, requests, failed, p99Ms });
}

/** The figures of a release for history: stored once closed, live while the window is open. */
export async function trafficOf(
  ctx: AppContext | undefined,
  row: ReleaseRow,
): Promise<ReleaseTrafficFigures> {
  if (row.traffic) return { ...row.traffic, window: 'closed' };
  if (!row.trafficBase) return { requests: 0, failed: 0, p99Ms: null, window: 'none' };
  return windowFigures(row.trafficBase, ctx ? await snapshot(ctx) : undefined, 'open');
}
