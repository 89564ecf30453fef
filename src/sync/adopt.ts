import { join } from 'node:path';
import { effectiveProbes } from '../health/effective-probes.js';
import type { Instance } from '../runtimes/runtime.js';
import type { ReleaseRow } from '../store/release-store.js';
import type { AppContext, LiveRelease } from './app-context.js';
import { instanceSpecFor } from './instance-spec.js';
import { retireRelease } from './retire.js';
import { closeTrafficWindow } from './traffic-record.js';

/**
 * Rebuilds an app's control state after an agent (re)start from the database, the runtime and the
 * router, without disturbing what serves: instances of the live release are followed again (those
 * the router routes count as ready at once), releases kept warm are retired, deploys the previous
 * agent left half done are marked Failed and retried by the next poll. Throws when the runtime or
 * router cannot be reached (the caller retries).
 */
export async function adopt(ctx: AppContext): Promise<void> {
  const { apps, releases } = ctx.deps;
  const route = (await ctx.deps.router.routes()).find((r) => r.app === ctx.name);
  const routed = new Set(route?.targets.filter((t) => t.active).map((t) => t.instanceId) ?? []);
  const routedRelease = route?.targets.find((t) => t.active)?.releaseId;
  finishInterrupted(ctx, routedRelease);
  const app = apps.get(ctx.name)!;
  ctx.replicasOverride = app.replicas;
  const liveRow = app.liveReleaseId ? releases.get(app.liveReleaseId) : undefined;
  ctx.live = liveRow ? liveOf(liveRow, app.path) : null;
  const listed = await ctx.runtime().list(ctx.name);
  for (const instance of listed) follow(ctx, instance, routed);
  for (const row of releases.list(ctx.name, 20)) {
    if (row.trafficBase && !row.traffic) await closeTrafficWindow(ctx, row.id);
  }
  ctx.resetRouteCache();
  ctx.logger.info('Adopted', {
    live: ctx.live?.releaseId ?? null,
    instances: listed.length,
    routed: routed.size,
  });
}

function liveOf(row: ReleaseRow, appPath: string): LiveRelease | null {
  if (!row.spec || !row.artifact) return null;
  const workdir = join(row.artifact, appPath);
  const image = row.image?.split('@')[0];
  return {
    releaseId: row.id,
    revision: row.revision,
    spec: row.spec,
    slot: row.slot ?? 'blue',
    workdir,
    image,
  };
}

/** InProgress releases of a previous agent: the routed one had switched (Succeeded), others Failed. */
function finishInterrupted(ctx: AppContext, routedRelease: number | undefined): void {
  const { apps, releases } = ctx.deps;
  const now = new Date().toISOString();
  for (const row of releases.inProgress().filter((r) => r.app === ctx.name)) {
    if (row.id === routedRelease && row.spec && row.artifact) {
      releases.update(row.id, { status: 'Succeeded', phase: 'Live', finishedAt: now });
      apps.setLiveRelease(ctx.name, row.id);
      continue;
    }
    const error = {
      code: 'INTERRUPTED',
      message: 'the agent stopped during this deploy; the next poll retries it',
      details: [],
    };
    releases.update(row.id, { status: 'Failed', phase: 'Failed', finishedAt: now, error });
    apps.setLastAttempted(ctx.name, null);
  }
}

function follow(ctx: AppContext, instance: Instance, routed: Set<string>): void {
  const live = ctx.live;
  if (!live || instance.releaseId !== live.releaseId) {
    if (instance.phase !== 'Exited') retireLater(ctx, instance);
    return;
  }
  const spec = instanceSpecFor({
    app: ctx.name,
    id: instance.id,
    releaseId: live.releaseId,
    revision: live.revision,
    slot: live.slot,
    spec: live.spec,
    env: {},
    workdir: live.workdir,
    image: live.image,
    logFile: ctx.deps.layout.appLog(ctx.name),
  });
  ctx.tracker.track(spec, live.spec.runtime, instance, effectiveProbes(live.spec), routed.has(instance.id));
  if (instance.phase === 'Exited') ctx.tracker.markExited(instance.id, instance);
}

/** An instance of an older release that was kept warm: drain and stop it in the background. */
function retireLater(ctx: AppContext, instance: Instance): void {
  const row = ctx.deps.releases.get(instance.releaseId);
  if (!row?.spec || row.status !== 'Succeeded') return; // not ours to keep: the reconciler stops it as unowned
  const spec = row.spec;
  // Track it so that retire finds it; it is out of the route, so it only drains.
  ctx.tracker.track(
    instanceSpecFor({
      app: ctx.name,
      id: instance.id,
      releaseId: row.id,
      revision: row.revision,
      slot: row.slot ?? '',
      spec,
      env: {},
      workdir: '',
      logFile: ctx.deps.layout.appLog(ctx.name),
    }),
    spec.runtime,
    instance,
    { readiness: undefined },
  );
  if (ctx.warm.has(row.id)) return;
  const release = { releaseId: row.id, revision: row.revision, spec, slot: row.slot ?? '', workdir: '' };
  ctx.warm.set(row.id, { ...release, keepWarm: new AbortController() });
  ctx.spawn('Retire', () => retireRelease(ctx, row.id, spec.drain.timeoutMs));
}
