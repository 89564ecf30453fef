import type { Trigger } from '../api/wire.js';
import { WandolError } from '../core/errors.js';
import { effectiveProbes } from '../health/effective-probes.js';
import type { AppSpec } from '../config/app-spec.js';
import type { AppContext } from './app-context.js';
import { instanceSpecFor } from './instance-spec.js';
import { instanceLogTail } from './log-tail.js';
import type { TrackedInstance } from './instance-tracker.js';

/** The release being rolled out, as the executor needs it. */
export interface RolloutRelease {
  releaseId: number;
  revision: string;
  spec: AppSpec;
  slot: string;
  workdir: string;
  trigger?: Trigger;
  /** Container runtimes: the image the release runs. */
  image?: string;
}

/** Starts `count` instances of the release and follows their probes. Throws the runtime's error. */
export async function startInstances(
  ctx: AppContext,
  release: RolloutRelease,
  count: number,
  from = 0,
): Promise<TrackedInstance[]> {
  const runtime = ctx.runtime(release.spec);
  const probes = effectiveProbes(release.spec);
  const started: TrackedInstance[] = [];
  for (let n = from; n < from + count; n++) {
    started.push(await startOne(ctx, release, n, runtime, probes));
  }
  return started;
}

/** Starts replica `n` of the release (idempotent on its id) and tracks it. */
export async function startOne(
  ctx: AppContext,
  release: RolloutRelease,
  n: number,
  runtime = ctx.runtime(release.spec),
  probes = effectiveProbes(release.spec),
): Promise<TrackedInstance> {
  const id = ctx.instanceId(release.releaseId, release.slot, n);
  const spec = instanceSpecFor({
    app: ctx.name,
    id,
    releaseId: release.releaseId,
    revision: release.revision,
    slot: release.slot,
    spec: release.spec,
    env: ctx.instanceEnv(release.spec),
    workdir: release.workdir,
    image: release.image,
    logFile: ctx.deps.layout.appLog(ctx.name),
  });
  const instance = await runtime.start(spec);
  ctx.logger.info('Instance started', {
    instance: id,
    release: release.releaseId,
    endpoint: instance.endpoint,
  });
  return ctx.tracker.track(spec, release.spec.runtime, instance, probes);
}

/**
 * Waits until every instance is ready. Throws CRASHED (with the exit and the last log lines) when
 * one exits, NOT_READY when a startup probe gives up or the progress deadline passes, CANCELLED
 * when `signal` aborts.
 */
export async function awaitReady(
  ctx: AppContext,
  instances: TrackedInstance[],
  deadlineMs: number,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (signal.aborted) throw new WandolError('CANCELLED', 'the deploy was cancelled');
    for (const tracked of instances) {
      const now = await ctx.deps.runtimeFor(tracked.runtime).get(tracked.spec.id);
      if (!now || now.phase === 'Exited') throw await crashError(ctx, tracked, now?.exitCode, now?.signal);
      if (tracked.probe.startupFailed) throw notReady(tracked, 'its startup probe failed');
    }
    if (instances.every((t) => t.probe.ready)) return;
    if (Date.now() > deadline)
      throw notReady(
        instances.find((t) => !t.probe.ready) ?? instances[0],
        `it was not ready after ${Math.round(deadlineMs / 1000)}s (strategy.progressDeadline)`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function crashError(
  ctx: AppContext,
  tracked: TrackedInstance,
  code: number | null | undefined,
  signal: string | null | undefined,
): Promise<WandolError> {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
  const lines = await instanceLogTail(ctx.deps.layout.appLog(ctx.name), tracked.spec.id);
  return new WandolError(
    'CRASHED',
    `instance ${tracked.spec.id} ${how} before it was ready; the running version keeps serving. See \`wandol logs ${ctx.name}\``,
    { details: lines },
  );
}

function notReady(tracked: TrackedInstance | undefined, why: string): WandolError {
  const failures = tracked ? ` (readiness failed ${tracked.probe.readinessFailures} times in a row)` : '';
  return new WandolError(
    'NOT_READY',
    `instance ${tracked?.spec.id ?? '?'} never became ready: ${why}${failures}; it got no traffic and the running version keeps serving`,
  );
}

/** Stops and forgets the instances (SIGTERM, then SIGKILL after the grace period). Never throws. */
export async function stopInstances(ctx: AppContext, instances: TrackedInstance[]): Promise<void> {
  await Promise.all(
    instances.map(async (tracked) => {
      ctx.tracker.untrack(tracked.spec.id);
      const runtime = ctx.deps.runtimeFor(tracked.runtime);
      try {
        await runtime.stop(tracked.spec.id);
        await runtime.forget(tracked.spec.id);
      } catch (err) {
        ctx.logger.warn('Instance stop failed', { instance: tracked.spec.id, err });
      }
    }),
  );
}
