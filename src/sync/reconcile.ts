import { shortSha } from '../core/names.js';
import type { Instance } from '../runtimes/runtime.js';
import type { AppContext, LiveRelease } from './app-context.js';
import type { TrackedInstance } from './instance-tracker.js';
import { instanceLogTail } from './log-tail.js';
import { startOne, stopInstances } from './rollout-executor.js';

/** Restart delays: 1 s doubling to 60 s, back to 1 s once an instance ran for a minute. */
const RESTART_BASE_MS = 1000;
const RESTART_MAX_MS = 60_000;
const STABLE_AFTER_MS = 60_000;
/**
 * How much earlier than the reconciler asked for it a listing may have been requested (a listing
 * shared between apps is reused for 250 ms). Only instances started before that can be missing
 * from it because they vanished.
 */
const LISTING_SLACK_MS = 1000;

/**
 * One pass of the control loop for an app: notes instances that exited, restarts the live
 * release's crashed or unlive instances with backoff, starts missing replicas, stops extra ones and
 * instances nobody owns, and points the route at the ready instances. Never throws.
 */
export async function reconcile(ctx: AppContext): Promise<void> {
  try {
    await ctx.lock.run(async () => {
      const runtime = ctx.runtime();
      const askedAt = Date.now();
      await observe(ctx, await runtime.list(ctx.name), runtime.kind, askedAt);
      // During a rolling update the live release is scaled down on purpose: no repair then.
      if (ctx.live && ctx.admitted === null) await healLive(ctx, ctx.live);
    });
    await ctx.applyRoute();
  } catch (err) {
    ctx.logger.warn('Reconcile failed', { err });
  }
}

async function observe(ctx: AppContext, listed: Instance[], kind: string, askedAt: number): Promise<void> {
  const seen = new Set(listed.map((i) => i.id));
  for (const instance of listed) {
    const tracked = ctx.tracker.get(instance.id);
    if (!tracked) {
      if (!owned(ctx, instance.releaseId)) await stopOrphan(ctx, instance);
      continue;
    }
    // A stale listing may show an earlier incarnation of a restarted instance: ignore it.
    if (instance.startedAt < tracked.instance.startedAt) continue;
    if (instance.phase === 'Exited' && tracked.instance.phase !== 'Exited')
      await exited(ctx, tracked, instance);
    else if (instance.phase !== 'Exited') tracked.instance = instance; // fresh usage figures
  }
  for (const tracked of ctx.tracker.all()) {
    if (tracked.runtime !== kind) continue; // listed by another runtime (the app changed runtime)
    // A listing predates the instances started after it was requested, however long it took to
    // arrive (a busy data plane): only instances started before that can have vanished.
    if (tracked.instance.startedAt >= askedAt - LISTING_SLACK_MS) continue;
    if (!seen.has(tracked.spec.id) && tracked.instance.phase !== 'Exited') {
      await exited(ctx, tracked, {
        ...tracked.instance,
        phase: 'Exited',
        exitCode: null,
        signal: null,
        exitedAt: Date.now(),
        reason: 'Vanished',
      });
    }
  }
}

async function exited(ctx: AppContext, tracked: TrackedInstance, instance: Instance): Promise<void> {
  const live = tracked.spec.releaseId === ctx.live?.releaseId;
  // Read before the exit is recorded, so that status never shows a crash without its last lines.
  const lines = live ? await instanceLogTail(ctx.deps.layout.appLog(ctx.name), tracked.spec.id, 5) : [];
  ctx.tracker.markExited(tracked.spec.id, instance);
  if (!live) return;
  tracked.restartAt = restartAt(tracked);
  if (tracked.lastExit) tracked.lastExit.logTail = lines.map((line) => line.slice(line.indexOf('| ') + 2));
  const how = instance.signal
    ? `killed by ${instance.signal}`
    : `exited with code ${instance.exitCode ?? 'unknown'}`;
  ctx.deps.record({
    app: ctx.name,
    releaseId: tracked.spec.releaseId,
    type: 'InstanceExited',
    message: `instance ${tracked.spec.id} ${how}`,
    data: {
      instance: tracked.spec.id,
      exitCode: instance.exitCode ?? null,
      signal: instance.signal ?? null,
      reason: instance.reason ?? null,
    },
  });
}

function owned(ctx: AppContext, releaseId: number): boolean {
  return releaseId === ctx.live?.releaseId || releaseId === ctx.pending?.releaseId || ctx.warm.has(releaseId);
}

async function stopOrphan(ctx: AppContext, instance: Instance): Promise<void> {
  ctx.logger.info('Stopping unowned instance', { instance: instance.id, release: instance.releaseId });
  const runtime = ctx.runtime();
  await runtime.stop(instance.id);
  await runtime.forget(instance.id);
}

async function healLive(ctx: AppContext, live: LiveRelease): Promise<void> {
  const release = {
    releaseId: live.releaseId,
    revision: live.revision,
    spec: live.spec,
    slot: live.slot,
    workdir: live.workdir,
    image: live.image,
  };
  for (let n = 0; n < ctx.desiredReplicas(live.spec); n++) {
    const id = ctx.instanceId(live.releaseId, live.slot, n);
    const tracked = ctx.tracker.get(id);
    if (!tracked) {
      await startOne(ctx, release, n);
      ctx.deps.record({
        app: ctx.name,
        releaseId: live.releaseId,
        type: 'DriftRepaired',
        message: `started missing instance ${id} of ${shortSha(live.revision)}`,
        data: { instance: id },
      });
    } else if (tracked.instance.phase === 'Exited' && Date.now() >= (tracked.restartAt ?? 0)) {
      await restart(ctx, tracked, n, release, 'exited');
    } else if (tracked.probe.livenessFailed) {
      await ctx.runtime(live.spec).stop(id);
      await restart(ctx, tracked, n, release, 'liveness probe failed');
    }
  }
  const extra = ctx.tracker
    .ofRelease(live.releaseId)
    .filter((t) => replicaIndex(t.spec.id) >= ctx.desiredReplicas(live.spec));
  if (extra.length > 0) await stopInstances(ctx, extra);
}

async function restart(
  ctx: AppContext,
  tracked: TrackedInstance,
  n: number,
  release: Parameters<typeof startOne>[1],
  why: string,
): Promise<void> {
  const ranFor = (tracked.lastExit?.at ?? Date.now()) - tracked.instance.startedAt;
  const restarts = ranFor >= STABLE_AFTER_MS ? 1 : tracked.restarts + 1;
  await ctx.runtime(release.spec).forget(tracked.spec.id);
  const fresh = await startOne(ctx, release, n);
  fresh.restarts = restarts;
  ctx.deps.record({
    app: ctx.name,
    releaseId: release.releaseId,
    type: 'Restarted',
    message: `restarted ${tracked.spec.id} (${why}), restart #${restarts}`,
    data: { instance: tracked.spec.id, restarts, reason: why, lastExit: tracked.lastExit },
  });
}

/** When an exited instance may be started again: exponential backoff on its restarts. */
function restartAt(tracked: TrackedInstance): number {
  const exitedAt = tracked.lastExit?.at ?? Date.now();
  const crashes = exitedAt - tracked.instance.startedAt >= STABLE_AFTER_MS ? 0 : tracked.restarts;
  return exitedAt + Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** crashes);
}

function replicaIndex(id: string): number {
  return Number(id.slice(id.lastIndexOf('-') + 1));
}
