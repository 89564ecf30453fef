import type { AppStatus, InstanceStatus } from '../api/wire.js';
import { assessApp } from '../health/assess-app.js';
import type { SyncStatus } from '../health/health-status.js';
import { shortSha } from '../core/names.js';
import type { AppRow } from '../store/app-store.js';
import type { AppContext } from './app-context.js';
import type { TrackedInstance } from './instance-tracker.js';

/** The app's health with its reason (what status shows), without the rest of the status. */
export function appHealth(app: AppRow, ctx: AppContext, deploying: boolean): ReturnType<typeof assessApp> {
  const live = ctx.live;
  return assessApp({
    live: live !== null,
    deploying,
    desiredReplicas: live ? ctx.desiredReplicas(live.spec) : 0,
    instances: (live ? ctx.tracker.ofRelease(live.releaseId) : []).map((t) => ({
      ready: t.probe.ready,
      running: t.instance.phase !== 'Exited',
      crashLoop: crashLoop(t),
    })),
    lastError: app.lastError,
  });
}

/** The app's status as `wandol status` shows it, from its row and its control state. */
export function appStatus(app: AppRow, ctx: AppContext, deploying: boolean): AppStatus {
  const live = ctx.live;
  const liveInstances = live ? ctx.tracker.ofRelease(live.releaseId) : [];
  const health = appHealth(app, ctx, deploying);
  const running = liveInstances.filter((t) => t.instance.phase !== 'Exited' && !t.retiring).length;
  const desired = live ? ctx.desiredReplicas(live.spec) : 0;
  const drift =
    live && running !== desired ? `${running}/${desired} instances running, being repaired` : null;
  const { sync, reason } = syncOf(app, live?.revision ?? null, deploying, drift);
  return {
    name: app.name,
    sync,
    syncReason: reason,
    health: health.status,
    healthReason: health.reason,
    revision: live?.revision ?? null,
    headRevision: app.headRevision,
    liveReleaseId: live?.releaseId ?? null,
    replicas: {
      desired,
      ready: liveInstances.filter((t) => t.probe.ready).length,
    },
    url: urlOf(ctx),
    instances: ctx.tracker
      .all()
      .sort((a, b) => rank(ctx, a) - rank(ctx, b) || a.spec.id.localeCompare(b.spec.id))
      .map(instanceStatus),
    lastError: app.lastError,
    repo: app.repo,
    branch: app.branch,
  };
}

function syncOf(
  app: AppRow,
  liveRevision: string | null,
  deploying: boolean,
  drift: string | null,
): { sync: SyncStatus; reason: string } {
  if (!app.headRevision) return { sync: 'Unknown', reason: 'the branch has not been fetched yet' };
  if (app.headRevision === liveRevision && drift) return { sync: 'OutOfSync', reason: drift };
  if (app.headRevision === liveRevision)
    return { sync: 'Synced', reason: `${app.branch} at ${shortSha(app.headRevision)} is live` };
  const live = liveRevision ? `live is ${shortSha(liveRevision)}` : 'nothing is live';
  const doing = deploying
    ? ', a deploy is in progress'
    : app.lastError
      ? `, last attempt failed: ${app.lastError.message}`
      : '';
  return { sync: 'OutOfSync', reason: `${app.branch} is at ${shortSha(app.headRevision)}, ${live}${doing}` };
}

function urlOf(ctx: AppContext): string | null {
  const route = ctx.live?.spec.route;
  if (route?.port)
    return `http://${ctx.deps.listenHost === '0.0.0.0' ? '127.0.0.1' : ctx.deps.listenHost}:${route.port}/`;
  if (route?.host) return `http://${route.host}:${ctx.deps.httpPort}/`;
  return null;
}

/** Live instances first, then the one being deployed, then those kept warm. */
function rank(ctx: AppContext, t: TrackedInstance): number {
  if (t.spec.releaseId === ctx.live?.releaseId) return 0;
  return t.spec.releaseId === ctx.pending?.releaseId ? 1 : 2;
}

/** `CrashLoopBackOff: …` for an instance that crashed again after a restart, with why. */
function crashLoop(t: TrackedInstance): string | undefined {
  if (t.instance.phase !== 'Exited' || t.restarts < 1 || !t.lastExit) return undefined;
  const exit = t.lastExit;
  const how =
    exit.reason === 'OOMKilled'
      ? 'OOMKilled'
      : exit.signal
        ? `killed by ${exit.signal}`
        : `exit code ${exit.code}`;
  const wait = t.restartAt
    ? `, next restart in ${Math.max(0, Math.round((t.restartAt - Date.now()) / 1000))}s`
    : '';
  const last = exit.logTail?.at(-1);
  return `CrashLoopBackOff: ${t.spec.id} ${how} (restart #${t.restarts}${wait})${last ? `: ${last}` : ''}`;
}

function instanceStatus(t: TrackedInstance): InstanceStatus {
  const endpoint = t.instance.endpoint;
  return {
    id: t.spec.id,
    revision: t.spec.revision,
    releaseId: t.spec.releaseId,
    slot: t.spec.slot,
    endpoint: endpoint ? `${endpoint.host}:${endpoint.port}` : null,
    ready: t.probe.ready,
    phase: crashLoop(t)
      ? 'CrashLoopBackOff'
      : t.instance.phase === 'Running' && !t.probe.ready
        ? 'NotReady'
        : t.instance.phase,
    restarts: t.restarts,
    lastExit: t.lastExit && {
      code: t.lastExit.code,
      signal: t.lastExit.signal,
      at: new Date(t.lastExit.at).toISOString(),
      reason: t.lastExit.reason,
      logTail: t.lastExit.logTail ?? [],
    },
    usage: t.instance.usage
      ? { cpuSeconds: t.instance.usage.cpuSeconds, memoryBytes: t.instance.usage.memoryBytes }
      : null,
  };
}
