import { posix } from 'node:path';
import type { AppSpec } from '../config/app-spec.js';
import { sleep } from '../core/clock.js';
import { asWandolError, WandolError } from '../core/errors.js';
import { shortSha } from '../core/names.js';
import { planRollout } from '../rollout/plan-rollout.js';
import { switchIndex, type RolloutStep } from '../rollout/rollout-plan.js';
import type { ReleaseRow } from '../store/release-store.js';
import type { AppContext } from './app-context.js';
import { awaitReady, startInstances, stopInstances, type RolloutRelease } from './rollout-executor.js';
import { retireInstances, retireRelease } from './retire.js';
import { switchBack, warmTarget } from './rollback.js';
import { watchCutover } from './cutover-watch.js';
import { closeTrafficWindow, openTrafficWindow } from './traffic-record.js';
import type { TrackedInstance } from './instance-tracker.js';

/**
 * Deploys one queued release: reads and validates its wandol.yaml, builds it, rolls it out with its
 * strategy and records every phase. On any failure before the switch the new instances are stopped,
 * the release is Failed with the reason and the running version keeps serving. Never throws.
 */
export async function runDeploy(ctx: AppContext, releaseId: number, signal: AbortSignal): Promise<void> {
  const { releases, apps } = ctx.deps;
  const row = releases.get(releaseId);
  if (!row || row.status !== 'InProgress') return;
  const timer = phaseTimer(ctx, releaseId);
  ctx.pending = { releaseId };
  // A newer deploy makes the releases kept warm for rollback useless: retire them now. (The long
  // watch of the live release goes on: it ends when the new release goes live, and a failed or
  // cancelled deploy leaves the live release watched.)
  for (const warm of ctx.warm.values()) warm.keepWarm.abort();
  let started: TrackedInstance[] = [];
  try {
    const spec = await loadSpec(ctx, row, timer);
    ctx.instanceEnv(spec); // a missing secret fails the release before anything is built
    ctx.deps.releases.update(releaseId, { config: resolvedConfig(ctx, spec) });
    ctx.deps.releases.update(releaseId, { phase: 'BuildQueued' });
    const built = await ctx.deps.buildSlots.run(
      () =>
        timer.phase('Building', () =>
          ctx.deps.builder.build({ app: apps.get(ctx.name)!, sha: row.revision, spec, signal }),
        ),
      signal,
    );
    await refuseAncestor(ctx, row);
    const image = built.image && `${built.image}${built.imageId ? `@${built.imageId}` : ''}`;
    releases.update(releaseId, { artifact: built.dir, image: image ?? null });
    ctx.pending = { releaseId, spec, workdir: built.workdir };
    const release: RolloutRelease = {
      releaseId,
      revision: row.revision,
      spec,
      slot: '',
      workdir: built.workdir,
      trigger: row.trigger,
      image: built.image,
    };
    const steps = plan(ctx, spec);
    const cut = switchIndex(steps);
    const previousId = ctx.live?.releaseId;
    for (const step of steps.slice(0, cut + 1)) {
      started = started.concat(await gateStep(ctx, step, release, started, timer, signal));
    }
    const switchedAt = Date.now();
    // After the switch, so that a failed write-back stays in status until the next success.
    if (spec.gitops && row.trigger !== 'rollback') await writeBackTag(ctx, row, spec, signal);
    ctx.spawn('Cut-over', async () => {
      await afterSwitch(ctx, steps.slice(cut + 1), releaseId, spec);
      if (previousId !== undefined)
        await watchLonger(ctx, releaseId, previousId, switchedAt + spec.strategy.watchMs);
    });
  } catch (err) {
    ctx.admitted = null;
    await stopInstances(ctx, started);
    await ctx.applyRoute().catch(() => undefined);
    // Stopped by the agent's shutdown: left InProgress, the next agent marks it interrupted and retries.
    if (!ctx.stopSignal.aborted) fail(ctx, row, signal.aborted ? (signal.reason ?? err) : err, timer.timings);
  } finally {
    ctx.pending = null;
  }
}

async function loadSpec(ctx: AppContext, row: ReleaseRow, timer: PhaseTimer): Promise<AppSpec> {
  return timer.phase('Fetching', async () => {
    const app = ctx.deps.apps.get(ctx.name)!;
    const source = ctx.deps.sourceFor(app);
    const info = await source.commitInfo(row.revision);
    ctx.deps.releases.update(row.id, { message: row.message ?? info.message, author: info.author });
    ctx.deps.record({
      app: ctx.name,
      releaseId: row.id,
      type: 'Deploying',
      message: `Deploying ${shortSha(row.revision)}: ${info.message}`,
      data: { revision: row.revision, trigger: row.trigger },
    });
    // A rollback restores the config recorded with the release it goes back to.
    if (row.spec) return row.spec;
    const file = posix.join(app.path, 'wandol.yaml');
    const text = await source.readFile(row.revision, file);
    if (text === undefined) {
      throw new WandolError(
        'INVALID_CONFIG',
        `no ${file} in commit ${shortSha(row.revision)}: add one (see the README) and push again`,
      );
    }
    const spec = ctx.deps.parseSpec(text, file);
    ctx.runtime(spec); // throws now when the spec's runtime is not available here
    ctx.deps.releases.update(row.id, { spec });
    return spec;
  });
}

/** The release's config as recorded: env in clear, secrets by hash only. */
function resolvedConfig(
  ctx: AppContext,
  spec: AppSpec,
): { env: Record<string, string>; secrets: Record<string, string> } {
  const hashes = ctx.deps.secrets.hashes(ctx.name);
  return {
    env: spec.env,
    secrets: Object.fromEntries(spec.secrets.map((key) => [key, hashes[key] ?? 'unset'])),
  };
}

function plan(ctx: AppContext, spec: AppSpec): RolloutStep[] {
  const previous = [ctx.live?.releaseId, ...ctx.warm.keys()].filter((id): id is number => id !== undefined);
  return planRollout(spec.strategy.type, {
    replicas: ctx.desiredReplicas(spec),
    previousReleaseIds: [...new Set(previous)],
    liveSlot: ctx.live?.slot ?? null,
    scaleDownDelayMs: spec.strategy.scaleDownDelayMs,
    parallelReleases: ctx.runtime(spec).capabilities.parallelReleases,
    maxSurge: spec.strategy.maxSurge,
    maxUnavailable: spec.strategy.maxUnavailable,
    previousInstances: previous.reduce((sum, id) => sum + ctx.tracker.ofRelease(id).length, 0),
  });
}

/** Runs one step up to the switch; returns the instances it started. */
async function gateStep(
  ctx: AppContext,
  step: RolloutStep,
  release: RolloutRelease,
  started: TrackedInstance[],
  timer: PhaseTimer,
  signal: AbortSignal,
): Promise<TrackedInstance[]> {
  switch (step.kind) {
    case 'retire':
      await timer.phase('Retiring', () => retireNow(ctx, step.releaseIds));
      return [];
    case 'start':
      release.slot = step.slot;
      ctx.deps.releases.update(release.releaseId, { slot: step.slot });
      return timer.phase('Starting', () => startInstances(ctx, release, step.count, step.from ?? 0));
    case 'admit':
      ctx.admitted = release.releaseId;
      return [];
    case 'retireSome':
      await timer.phase('Starting', () => retireSome(ctx, release.releaseId, step.count));
      return [];
    case 'awaitReady':
      await timer.phase('Starting', () =>
        awaitReady(ctx, started, release.spec.strategy.progressDeadlineMs, signal),
      );
      return [];
    case 'switch':
      await timer.phase('Switching', () => switchTo(ctx, release));
      return [];
    default:
      return [];
  }
}

/** Rolling: drains and stops `count` instances of the releases before `releaseId`, last replicas first. */
async function retireSome(ctx: AppContext, releaseId: number, count: number): Promise<void> {
  const old = ctx.tracker
    .all()
    .filter((t) => t.spec.releaseId !== releaseId && !t.retiring)
    .sort((a, b) => a.spec.releaseId - b.spec.releaseId || b.spec.id.localeCompare(a.spec.id))
    .slice(0, count);
  await retireInstances(ctx, old, ctx.live?.spec.drain.timeoutMs ?? 0);
}

/** Recreate: takes the previous releases out of the route (requests get 503), drains and stops them. */
async function retireNow(ctx: AppContext, releaseIds: number[]): Promise<void> {
  const route = ctx.live?.spec.route;
  if (route)
    await ctx.deps.router.setRoute({ app: ctx.name, port: route.port, host: route.host, targets: [] });
  const drainMs = ctx.live?.spec.drain.timeoutMs ?? 0;
  ctx.live = null;
  for (const id of releaseIds) await retireRelease(ctx, id, drainMs);
}

/** The atomic switch: the new release becomes live and the route points at it alone. */
async function switchTo(ctx: AppContext, release: RolloutRelease): Promise<void> {
  let replaced: number | undefined;
  await ctx.lock.run(async () => {
    const previous = ctx.live;
    replaced = previous?.releaseId;
    await openTrafficWindow(ctx, release.releaseId);
    // Together, with no await in between: a route update at any moment (a probe change, the
    // reconciler) must see the new release either admitted beside the old one or live. Clearing
    // `admitted` first left a rolling update's retired old release alone in the route: a 503.
    ctx.live = {
      releaseId: release.releaseId,
      revision: release.revision,
      spec: release.spec,
      slot: release.slot,
      workdir: release.workdir,
      image: release.image,
    };
    ctx.admitted = null;
    try {
      await ctx.applyRoute(true);
    } catch (err) {
      ctx.live = previous;
      throw err;
    }
    if (previous) ctx.warm.set(previous.releaseId, { ...previous, keepWarm: new AbortController() });
  });
  const { apps, releases } = ctx.deps;
  apps.setLiveRelease(ctx.name, release.releaseId);
  apps.setLastError(ctx.name, null);
  // A rollback puts the release it replaced aside as RolledBack (it is not a candidate to go back to).
  if (release.trigger === 'rollback' && replaced !== undefined) {
    releases.update(replaced, { status: 'RolledBack', phase: 'RolledBack' });
    ctx.deps.record({
      app: ctx.name,
      releaseId: replaced,
      type: 'RolledBack',
      message: `rolled back to ${shortSha(release.revision)} (release ${release.releaseId})`,
      data: { from: replaced, to: release.releaseId },
    });
  }
  releases.update(release.releaseId, {
    status: 'Succeeded',
    phase: 'Live',
    finishedAt: new Date().toISOString(),
  });
  ctx.deps.record({
    app: ctx.name,
    releaseId: release.releaseId,
    type: 'Deployed',
    message: `${shortSha(release.revision)} is live`,
    data: { revision: release.revision, slot: release.slot },
  });
  ctx.logger.info('Deployed', { release: release.releaseId, revision: release.revision });
}

/** Keeps the previous releases warm, retires them, then closes the release's traffic window. */
async function afterSwitch(
  ctx: AppContext,
  steps: RolloutStep[],
  releaseId: number,
  spec: AppSpec,
): Promise<void> {
  const warmWait = steps.find((s) => s.kind === 'keepWarm');
  const keepWarmMs = warmWait?.kind === 'keepWarm' ? warmWait.ms : spec.strategy.scaleDownDelayMs;
  const aborts = [...ctx.warm.values()].map((w) => w.keepWarm.signal);
  const signal = AbortSignal.any([ctx.stopSignal, ...aborts]);
  const previousId = steps
    .flatMap((s) => (s.kind === 'retire' ? s.releaseIds : []))
    .find((id) => ctx.warm.has(id));
  if (warmWait && previousId !== undefined) {
    const reason = await watchCutover(ctx, releaseId, previousId, keepWarmMs, signal);
    const target = reason === undefined ? undefined : warmTarget(ctx, previousId);
    if (reason !== undefined && target) {
      await switchBack(ctx, target, reason).catch((err: unknown) =>
        ctx.logger.error('Rollback failed', { err }),
      );
      await closeTrafficWindow(ctx, releaseId);
      return;
    }
  } else {
    await sleep(keepWarmMs, signal).catch(() => undefined);
  }
  // The agent is stopping: the next one retires warm releases and closes the window on adoption.
  if (ctx.stopSignal.aborted) return;
  for (const step of steps) {
    if (step.kind !== 'retire') continue;
    for (const id of step.releaseIds) {
      const warm = ctx.warm.get(id);
      if (warm) await retireRelease(ctx, id, warm.spec.drain.timeoutMs);
    }
  }
  await closeTrafficWindow(ctx, releaseId);
}

/**
 * strategy.watch beyond the warm period: the new release is watched until `until` (ms since the
 * epoch); the previous release has stopped by then, so trouble queues a rollback release of it
 * (its recorded config and artifact, no rebuild) through the controller. Ends early when the
 * live release changes or the agent stops.
 */
async function watchLonger(
  ctx: AppContext,
  releaseId: number,
  previousId: number,
  until: number,
): Promise<void> {
  const remaining = until - Date.now();
  if (remaining <= 0 || ctx.live?.releaseId !== releaseId || ctx.stopSignal.aborted) return;
  const reason = await watchCutover(ctx, releaseId, previousId, remaining, ctx.stopSignal);
  if (reason !== undefined && !ctx.stopSignal.aborted)
    await ctx.onWatchFailure?.(releaseId, previousId, reason);
}

/**
 * GitOps write-back after a successful build: the commit's tag goes into the kustomization for
 * Argo CD or Flux. A failure is recorded and shown; it does not stop the local rollout.
 */
async function writeBackTag(
  ctx: AppContext,
  row: ReleaseRow,
  spec: AppSpec,
  signal: AbortSignal,
): Promise<void> {
  const app = ctx.deps.apps.get(ctx.name)!;
  try {
    const { commit, tag } = await ctx.deps.gitops.writeBack({ app, spec, sha: row.revision, signal });
    const message = commit
      ? `${spec.gitops!.kustomization}: ${spec.gitops!.image} set to ${tag} (commit ${shortSha(commit)})`
      : `${spec.gitops!.kustomization} already had ${spec.gitops!.image}:${tag}`;
    ctx.deps.record({ app: ctx.name, releaseId: row.id, type: 'WriteBack', message, data: { commit, tag } });
  } catch (err) {
    const error = asWandolError(err);
    ctx.deps.apps.setLastError(ctx.name, {
      code: error.code,
      message: `GitOps write-back failed: ${error.message}`,
      details: [...error.details],
    });
    ctx.deps.record({
      app: ctx.name,
      releaseId: row.id,
      type: 'WriteBackFailed',
      message: error.message,
      data: { code: error.code },
    });
  }
}

/**
 * The newest commit wins by git ancestry: an automatic deploy whose commit is an ancestor of the
 * live one is never put over it, whichever build finished first. Throws SUPERSEDED.
 */
async function refuseAncestor(ctx: AppContext, row: ReleaseRow): Promise<void> {
  const live = ctx.live;
  if (!live || live.revision === row.revision) return;
  if (row.trigger !== 'poll' && row.trigger !== 'webhook') return;
  const source = ctx.deps.sourceFor(ctx.deps.apps.get(ctx.name)!);
  if (await source.isAncestor(row.revision, live.revision)) {
    throw new WandolError(
      'SUPERSEDED',
      `${shortSha(live.revision)}, a newer commit, is already live: an ancestor is never deployed over it`,
    );
  }
}

function fail(ctx: AppContext, row: ReleaseRow, err: unknown, timings: Record<string, number>): void {
  const error = asWandolError(err);
  const body = { code: error.code, message: error.message, details: [...error.details] };
  const finishedAt = new Date().toISOString();
  if (error.code === 'SUPERSEDED') {
    ctx.deps.releases.update(row.id, {
      status: 'Superseded',
      phase: 'Superseded',
      finishedAt,
      error: body,
      timings,
    });
    ctx.deps.record({
      app: ctx.name,
      releaseId: row.id,
      type: 'Superseded',
      message: error.message,
      data: { revision: row.revision },
    });
    return;
  }
  ctx.deps.releases.update(row.id, {
    status: 'Failed',
    phase: 'Failed',
    finishedAt: new Date().toISOString(),
    error: body,
    timings,
  });
  ctx.deps.apps.setLastError(ctx.name, body);
  ctx.deps.record({
    app: ctx.name,
    releaseId: row.id,
    type: error.code === 'BUILD_FAILED' ? 'BuildFailed' : 'DeployFailed',
    message: error.message,
    data: { revision: row.revision, code: error.code, details: body.details },
  });
  ctx.logger.warn('Deploy failed', { release: row.id, err: error });
}

interface PhaseTimer {
  timings: Record<string, number>;
  phase<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

function phaseTimer(ctx: AppContext, releaseId: number): PhaseTimer {
  const timings: Record<string, number> = {};
  return {
    timings,
    async phase(name, fn) {
      ctx.deps.releases.update(releaseId, { phase: name });
      const start = Date.now();
      try {
        return await fn();
      } finally {
        timings[name] = (timings[name] ?? 0) + Date.now() - start;
        ctx.deps.releases.update(releaseId, { timings });
      }
    },
  };
}
