import { MAX_REPLICAS } from '../config/app-spec.js';
import { withJitter } from '../core/backoff.js';
import { sleep } from '../core/clock.js';
import { asWandolError, WandolError } from '../core/errors.js';
import { shortSha } from '../core/names.js';
import type { Trigger } from '../api/wire.js';
import type { AppRow } from '../store/app-store.js';
import type { ReleaseRow } from '../store/release-store.js';
import { AppContext } from './app-context.js';
import { adopt } from './adopt.js';
import type { HealthStatus } from '../health/health-status.js';
import { appHealth } from './app-status.js';
import { AutoscaleBinding } from './autoscale-binding.js';
import { DeployQueue } from './deploy-queue.js';
import type { SyncDeps } from './ports.js';
import { reconcile } from './reconcile.js';
import { rollbackTarget, switchBack, warmTarget } from './rollback.js';
import { runDeploy } from './run-deploy.js';

/** Source errors back polling off from the poll interval up to this. */
const MAX_POLL_BACKOFF_MS = 5 * 60_000;

/**
 * The control loop of one app: polls its branch, queues deploys (the newest waiting one wins),
 * runs them one at a time, and reconciles the live release with what runs. `start` adopts what the
 * runtime and router already run; `stop` ends the loops and leaves every instance serving.
 */
export class AppController {
  readonly ctx: AppContext;
  private readonly queue: DeployQueue;
  private readonly abort = new AbortController();
  private pollFailures = 0;
  private wake: (() => void) | undefined;
  private loops: Promise<void>[] = [];
  private lastHealth: HealthStatus | undefined;
  private readonly autoscale: AutoscaleBinding;
  /** The deploy running now, so that a newer commit can supersede it. */
  private current: { releaseId: number; sha: string; abort: AbortController } | undefined;

  constructor(name: string, deps: SyncDeps) {
    this.ctx = new AppContext(name, deps, this.abort.signal);
    this.ctx.onWatchFailure = (releaseId, previousId, reason) =>
      this.rollbackAfterWatch(releaseId, previousId, reason);
    this.autoscale = new AutoscaleBinding(this.ctx, deps.autoscaleIntervalMs);
    this.queue = new DeployQueue(
      (id) => this.runOne(id),
      (dropped, by) => this.supersede(dropped, by),
    );
  }

  /** true while a deploy runs or waits. */
  get deploying(): boolean {
    return this.queue.busy;
  }

  /** Adopts running instances, then starts the poll and reconcile loops. */
  async start(): Promise<void> {
    await adopt(this.ctx);
    this.loops = [this.pollLoop(), this.reconcileLoop()];
  }

  /**
   * Ends the loops, the deploy in progress (cancelled) and the probers, and resolves once all of
   * them have settled; instances and routes keep serving. Idempotent.
   */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await Promise.allSettled([...this.loops, this.queue.idle(), this.ctx.idle(), this.autoscale.stop()]);
    this.ctx.tracker.stopAll();
  }

  /** Fetches now instead of at the next poll tick (a webhook arrived, or the app was just added). */
  pollNow(): void {
    this.wake?.();
  }

  /**
   * Records a release of `rev` (default: the branch head after a fetch) and queues its deploy.
   * Throws SOURCE_UNREACHABLE or REVISION_NOT_FOUND before recording anything.
   */
  async deploy(rev: string | undefined, trigger: Trigger): Promise<ReleaseRow> {
    const app = this.ctx.deps.apps.get(this.ctx.name)!;
    const source = this.ctx.deps.sourceFor(app);
    const head = await this.fetchHead(app, source);
    const sha = rev ? await source.resolveRevision(rev) : head;
    if (sha === head) this.ctx.deps.apps.setLastAttempted(app.name, head);
    return await this.enqueue(sha, trigger);
  }

  /**
   * A verified push webhook for the app's branch: fetches at once and queues the branch head
   * (the newest commit wins, even if this push was not the last one) unless it was queued already.
   */
  async onPush(): Promise<ReleaseRow | undefined> {
    const head = await this.fetchHead(this.ctx.deps.apps.get(this.ctx.name)!);
    return this.deployIfNew(head, 'webhook');
  }

  /**
   * Cancels the deploy that waits (recorded as Failed, CANCELLED) and the one that runs (its build
   * is stopped, or its new instances if they are starting). Nothing live is touched. Returns the
   * release ids cancelled.
   */
  cancel(): number[] {
    const cancelled: number[] = [];
    const waiting = this.queue.dropWaiting();
    if (waiting !== undefined) {
      const error = {
        code: 'CANCELLED',
        message: 'cancelled by `wandol cancel` before it started',
        details: [],
      };
      this.ctx.deps.releases.update(waiting, {
        status: 'Failed',
        phase: 'Failed',
        finishedAt: new Date().toISOString(),
        error,
      });
      cancelled.push(waiting);
    }
    const running = this.current;
    if (running && this.ctx.pending?.releaseId === running.releaseId) {
      running.abort.abort(
        new WandolError('CANCELLED', 'cancelled by `wandol cancel`; the running version keeps serving'),
      );
      cancelled.push(running.releaseId);
    }
    for (const id of cancelled) {
      this.ctx.deps.record({
        app: this.ctx.name,
        releaseId: id,
        type: 'DeployCancelled',
        message: `release ${id} cancelled`,
        data: {},
      });
    }
    return cancelled;
  }

  /**
   * Puts a previous release back (see rollbackTarget). A warm target with every replica ready is
   * switched to at once; otherwise a new release of its commit, with its recorded config and
   * artifact, goes through the usual rollout without a rebuild. Throws NOT_FOUND, CONFLICT.
   */
  async rollback(to: string | undefined): Promise<ReleaseRow> {
    const target = rollbackTarget(this.ctx, to);
    const warm = warmTarget(this.ctx, target.id);
    if (warm && !this.queue.busy) {
      await switchBack(this.ctx, warm, 'wandol rollback');
      return this.ctx.deps.releases.get(target.id)!;
    }
    return this.queueRollback(
      target,
      `rollback to ${shortSha(target.revision)} (release ${target.id}) queued`,
    );
  }

  /**
   * The watch of a live release (strategy.watch) found trouble after the previous release stopped:
   * a rollback release of it is queued, unless a newer deploy or rollback came first.
   */
  private async rollbackAfterWatch(releaseId: number, previousId: number, reason: string): Promise<void> {
    const { releases } = this.ctx.deps;
    const target = releases.get(previousId);
    if (this.ctx.live?.releaseId !== releaseId || this.queue.busy || !target?.spec || !target.artifact) {
      this.ctx.logger.warn('Watch failed; no automatic rollback', { release: releaseId, reason });
      return;
    }
    // A rollback that is itself in trouble never goes back to the release it replaced (rolled back
    // for a reason): no loop between two bad releases, e.g. when a bad secret breaks both.
    if (releases.get(releaseId)?.trigger === 'rollback' || target.status !== 'Succeeded') {
      this.ctx.deps.record({
        app: this.ctx.name,
        releaseId,
        type: 'WatchFailed',
        message: `${reason}; not rolled back automatically to release ${target.id} (${target.status}): fix and push, or \`wandol rollback ${this.ctx.name} --to REV\``,
        data: { reason, previous: target.id },
      });
      return;
    }
    const message = `${reason}: rollback to ${shortSha(target.revision)} (release ${target.id}) queued`;
    this.ctx.logger.warn('Watch failed: rolling back', { release: releaseId, to: target.id, reason });
    this.queueRollback(target, message, reason);
  }

  /** Records a rollback release of `target` (its config and artifact, no rebuild) and queues it. */
  private queueRollback(target: ReleaseRow, message: string, reason?: string): ReleaseRow {
    const row = this.ctx.deps.releases.create(this.ctx.name, target.revision, 'rollback');
    this.ctx.deps.releases.update(row.id, {
      spec: target.spec,
      message: `rollback to release ${target.id}: ${reason ?? target.message ?? ''}`.trim(),
    });
    this.ctx.deps.record({
      app: this.ctx.name,
      releaseId: row.id,
      type: 'DeployQueued',
      message,
      data: { revision: target.revision, trigger: 'rollback', to: target.id, ...(reason ? { reason } : {}) },
    });
    this.queue.enqueue(row.id);
    return this.ctx.deps.releases.get(row.id)!;
  }

  /**
   * Sets the replicas of the app (`wandol scale`): the reconciler starts or stops instances within
   * one period. Throws CONFLICT while the live spec autoscales, USAGE for a bad count.
   */
  async scale(replicas: number): Promise<void> {
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) {
      throw new WandolError(
        'USAGE',
        `replicas must be a whole number from 0 to ${MAX_REPLICAS}, got ${replicas}`,
      );
    }
    const autoscale = this.ctx.live?.spec.autoscale;
    if (autoscale) {
      throw new WandolError(
        'CONFLICT',
        `${this.ctx.name} autoscales between ${autoscale.min} and ${autoscale.max} replicas: change autoscale in wandol.yaml instead`,
      );
    }
    this.ctx.setReplicas(replicas, (from) => ({
      type: 'Scaled',
      message: `scaled from ${from ?? '-'} to ${replicas} replicas`,
    }));
    await reconcile(this.ctx);
  }

  /** Records the app's health turning Degraded (notifications listen for it) and recovering. */
  private noteHealth(): void {
    const app = this.ctx.deps.apps.get(this.ctx.name);
    if (!app) return;
    const { status: health, reason: healthReason } = appHealth(app, this.ctx, this.deploying);
    const previous = this.lastHealth;
    this.lastHealth = health;
    if (previous === undefined || previous === health) return;
    if (health === 'Degraded' || (previous === 'Degraded' && health === 'Healthy')) {
      this.ctx.deps.record({
        app: this.ctx.name,
        releaseId: this.ctx.live?.releaseId ?? null,
        type: health === 'Degraded' ? 'HealthDegraded' : 'HealthRecovered',
        message: `${this.ctx.name} is ${health}: ${healthReason}`,
        data: { from: previous, to: health },
      });
    }
  }

  /**
   * Fetches the app's branch and records its head, skipping wandol's own GitOps write-back commits
   * (the loop guard). Throws SOURCE_UNREACHABLE, REVISION_NOT_FOUND.
   */
  private async fetchHead(app: AppRow, source = this.ctx.deps.sourceFor(app)): Promise<string> {
    await source.sync();
    const branchHead = await source.resolveBranch(app.branch);
    const head = await source.buildableHead(branchHead, this.ctx.live?.spec.gitops?.kustomization);
    this.ctx.deps.apps.setHead(app.name, head);
    return head;
  }

  /** Queues a deploy of the head unless polling or a webhook tried that commit already. */
  private async deployIfNew(head: string, trigger: 'poll' | 'webhook'): Promise<ReleaseRow | undefined> {
    const { apps } = this.ctx.deps;
    if (head === apps.get(this.ctx.name)?.lastAttemptedRevision) return undefined;
    apps.setLastAttempted(this.ctx.name, head);
    return this.enqueue(head, trigger);
  }

  private async enqueue(sha: string, trigger: Trigger): Promise<ReleaseRow> {
    const release = this.ctx.deps.releases.create(this.ctx.name, sha, trigger);
    this.ctx.deps.record({
      app: this.ctx.name,
      releaseId: release.id,
      type: 'DeployQueued',
      message: `${trigger}: ${shortSha(sha)} queued`,
      data: { revision: sha, trigger },
    });
    await this.supersedeRunning(sha, release.id);
    this.queue.enqueue(release.id);
    return release;
  }

  /** The newest commit wins by ancestry: a running deploy of an ancestor of `sha` is cancelled. */
  private async supersedeRunning(sha: string, by: number): Promise<void> {
    const running = this.current;
    if (!running || running.sha === sha) return;
    const app = this.ctx.deps.apps.get(this.ctx.name)!;
    const ancestor = await this.ctx.deps
      .sourceFor(app)
      .isAncestor(running.sha, sha)
      .catch(() => false);
    if (!ancestor) return;
    running.abort.abort(
      new WandolError('SUPERSEDED', `superseded by release ${by} (${shortSha(sha)}), a newer commit`),
    );
  }

  private async runOne(releaseId: number): Promise<void> {
    const row = this.ctx.deps.releases.get(releaseId);
    if (!row) return;
    const abort = new AbortController();
    this.current = { releaseId, sha: row.revision, abort };
    try {
      await runDeploy(this.ctx, releaseId, AbortSignal.any([this.abort.signal, abort.signal]));
    } finally {
      this.current = undefined;
    }
  }

  private supersede(dropped: number, by: number): void {
    this.ctx.deps.releases.update(dropped, {
      status: 'Superseded',
      phase: 'Superseded',
      finishedAt: new Date().toISOString(),
    });
    this.ctx.deps.record({
      app: this.ctx.name,
      releaseId: dropped,
      type: 'Superseded',
      message: `release ${dropped} was superseded by release ${by} before it started`,
      data: { by },
    });
  }

  private async pollLoop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      await this.pollOnce();
      const app = this.ctx.deps.apps.get(this.ctx.name);
      if (!app) return;
      const delay = Math.min(MAX_POLL_BACKOFF_MS, app.pollMs * 2 ** this.pollFailures);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, withJitter(delay, 0.1));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Fetches the branch and queues a deploy when its head moved to a commit not tried yet. */
  private async pollOnce(): Promise<void> {
    const { apps } = this.ctx.deps;
    const app = apps.get(this.ctx.name);
    if (!app) return;
    try {
      const head = await this.fetchHead(app);
      if (this.pollFailures > 0 && app.lastError?.code === 'SOURCE_UNREACHABLE')
        apps.setLastError(app.name, null);
      this.pollFailures = 0;
      await this.deployIfNew(head, 'poll');
    } catch (err) {
      const error = asWandolError(err);
      this.pollFailures++;
      apps.setLastError(app.name, { code: error.code, message: error.message, details: [...error.details] });
      if (this.pollFailures === 1)
        this.ctx.deps.record({
          app: app.name,
          releaseId: null,
          type: 'SourceError',
          message: error.message,
          data: { code: error.code },
        });
      this.ctx.logger.warn('Fetch failed', { err: error, failures: this.pollFailures });
    }
  }

  private async reconcileLoop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      await sleep(this.ctx.deps.reconcileIntervalMs, this.abort.signal).catch(() => undefined);
      if (this.abort.signal.aborted) return;
      await reconcile(this.ctx);
      await this.autoscale.sync();
      this.noteHealth();
    }
  }
}
