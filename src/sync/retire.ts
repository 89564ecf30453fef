import { sleep } from '../core/clock.js';
import type { AppContext } from './app-context.js';
import type { TrackedInstance } from './instance-tracker.js';
import { stopInstances } from './rollout-executor.js';

/**
 * Retires a release that no longer receives new requests: waits until the router has no request in
 * flight to its instances (up to `drainTimeoutMs`), then stops them (SIGTERM, grace, SIGKILL).
 * Returns how many requests were still in flight when the drain timeout cut them off. Never throws.
 */
export async function retireRelease(
  ctx: AppContext,
  releaseId: number,
  drainTimeoutMs: number,
): Promise<number> {
  const left = await retireInstances(ctx, ctx.tracker.ofRelease(releaseId), drainTimeoutMs);
  ctx.warm.delete(releaseId);
  ctx.logger.info('Release retired', { release: releaseId });
  return left;
}

/**
 * Takes instances out of the route (if they were in it), waits until their in-flight requests
 * finish (up to `drainTimeoutMs`), then stops them. Returns the requests cut off. Never throws.
 */
export async function retireInstances(
  ctx: AppContext,
  instances: TrackedInstance[],
  drainTimeoutMs: number,
): Promise<number> {
  for (const tracked of instances) tracked.retiring = true;
  await ctx.applyRoute().catch((err: unknown) => ctx.logger.warn('Route update failed', { err }));
  const ids = new Set(instances.map((t) => t.spec.id));
  const deadline = Date.now() + drainTimeoutMs;
  let inFlight = await inFlightTo(ctx, ids);
  while (inFlight > 0 && Date.now() < deadline) {
    await sleep(100);
    if (ctx.stopSignal.aborted) return inFlight; // the next agent retires them on adoption
    inFlight = await inFlightTo(ctx, ids);
  }
  if (inFlight > 0) ctx.logger.warn('Drain timeout reached', { instances: [...ids], inFlight });
  await ctx.lock.run(() => stopInstances(ctx, instances));
  return inFlight;
}

async function inFlightTo(ctx: AppContext, ids: Set<string>): Promise<number> {
  try {
    const route = (await ctx.deps.router.routes()).find((r) => r.app === ctx.name);
    return (route?.targets ?? [])
      .filter((t) => ids.has(t.instanceId))
      .reduce((sum, t) => sum + t.inFlight, 0);
  } catch (err) {
    ctx.logger.warn('Router unreachable while draining', { err });
    return 0;
  }
}
