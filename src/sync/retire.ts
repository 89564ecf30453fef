import { sleep } from '../core/clock.js';
import type { AppContext } from './app-context.js';
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
  const instances = ctx.tracker.ofRelease(releaseId);
  const ids = new Set(instances.map((t) => t.spec.id));
  const deadline = Date.now() + drainTimeoutMs;
  let inFlight = await inFlightTo(ctx, ids);
  while (inFlight > 0 && Date.now() < deadline) {
    await sleep(100);
    if (ctx.stopSignal.aborted) return inFlight; // the next agent retires it on adoption
    inFlight = await inFlightTo(ctx, ids);
  }
  if (inFlight > 0) ctx.logger.warn('Drain timeout reached', { release: releaseId, inFlight });
  await ctx.lock.run(() => stopInstances(ctx, ctx.tracker.ofRelease(releaseId)));
  ctx.warm.delete(releaseId);
  ctx.logger.info('Release retired', { release: releaseId, instances: ids.size });
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
