import { WandolError } from '../core/errors.js';
import { shortSha } from '../core/names.js';
import type { ReleaseRow } from '../store/release-store.js';
import type { AppContext, WarmRelease } from './app-context.js';
import { retireRelease } from './retire.js';

/**
 * The release a rollback goes back to: with `to` (a release id or a commit sha prefix) the newest
 * release matching it that went live, else the newest one that went live before the live release,
 * of another commit. Throws NOT_FOUND when there is none.
 */
export function rollbackTarget(ctx: AppContext, to: string | undefined): ReleaseRow {
  const rows = ctx.deps.releases.list(ctx.name, 200).filter((r) => r.spec && r.artifact && wentLive(r));
  const live = ctx.live;
  const target = to
    ? rows.find((r) => String(r.id) === to || (to.length >= 4 && r.revision.startsWith(to.toLowerCase())))
    : rows.find(
        (r) =>
          r.id !== live?.releaseId && r.revision !== live?.revision && r.id < (live?.releaseId ?? Infinity),
      );
  if (!target) {
    const what = to
      ? `no release of ${ctx.name} matching ${JSON.stringify(to)} ever went live`
      : `${ctx.name} has no earlier release to go back to`;
    throw new WandolError(
      'NOT_FOUND',
      `${what}: see \`wandol history ${ctx.name}\`; to deploy any commit use \`wandol deploy ${ctx.name} --rev REV\``,
    );
  }
  if (target.id === live?.releaseId)
    throw new WandolError('CONFLICT', `release ${target.id} is already live`);
  return target;
}

/** A release went live once: it succeeded (even if replaced or rolled back since). */
function wentLive(row: ReleaseRow): boolean {
  return row.status === 'Succeeded' || row.status === 'RolledBack';
}

/** The warm release to switch back to at once, when every one of its replicas is still ready. */
export function warmTarget(ctx: AppContext, releaseId: number): WarmRelease | undefined {
  const warm = ctx.warm.get(releaseId);
  if (!warm) return undefined;
  const ready = ctx.tracker
    .ofRelease(releaseId)
    .filter((t) => t.probe.ready && t.instance.phase !== 'Exited');
  return ready.length >= ctx.desiredReplicas(warm.spec) ? warm : undefined;
}

/**
 * The instant rollback: the route points back at the warm release's instances (atomic), the release
 * that was live is marked RolledBack and retired at once. Throws the router's error, changing nothing.
 */
export async function switchBack(ctx: AppContext, target: WarmRelease, reason: string): Promise<void> {
  const current = ctx.live;
  await ctx.lock.run(async () => {
    const { keepWarm: _keepWarm, ...release } = target;
    ctx.live = release;
    try {
      await ctx.applyRoute(true);
    } catch (err) {
      ctx.live = current;
      throw err;
    }
    ctx.warm.delete(target.releaseId);
    if (current) ctx.warm.set(current.releaseId, { ...current, keepWarm: new AbortController() });
  });
  const { apps, releases } = ctx.deps;
  apps.setLiveRelease(ctx.name, target.releaseId);
  if (current) releases.update(current.releaseId, { status: 'RolledBack', phase: 'RolledBack' });
  ctx.deps.record({
    app: ctx.name,
    releaseId: current?.releaseId ?? null,
    type: 'RolledBack',
    message: `rolled back to ${shortSha(target.revision)} (release ${target.releaseId}): ${reason}`,
    data: { from: current?.releaseId ?? null, to: target.releaseId, reason },
  });
  ctx.logger.info('Rolled back', { from: current?.releaseId, to: target.releaseId, reason });
  if (current) {
    const drainMs = current.spec.drain.timeoutMs;
    ctx.spawn('Retire', () => retireRelease(ctx, current.releaseId, drainMs));
  }
}
