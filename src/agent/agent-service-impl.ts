import { rm } from 'node:fs/promises';
import type { AgentService } from '../api/agent-service.js';
import type {
  AddAppRequest,
  AppStatus,
  AppSummary,
  DeployRequest,
  EventRecord,
  ReleaseRecord,
  RollbackRequest,
  SecretList,
} from '../api/wire.js';
import { WandolError } from '../core/errors.js';
import { assertAppName } from '../core/names.js';
import type { Runtime } from '../runtimes/runtime.js';
import type { AppRow } from '../store/app-store.js';
import type { ReleaseRow } from '../store/release-store.js';
import { AppController } from '../sync/app-controller.js';
import { appStatus } from '../sync/app-status.js';
import type { SyncDeps } from '../sync/ports.js';
import { trafficOf } from '../sync/traffic-record.js';
import type { EventBus } from './event-bus.js';
import type { EventStore } from '../store/event-store.js';

const DEFAULT_POLL_MS = 10_000;

/** The secret store as the service uses it (names and values; values never leave the agent). */
export interface SecretsPort {
  set(app: string, name: string, value: string): void;
  list(app: string): { name: string; updatedAt: string }[];
  remove(app: string, name: string): void;
  removeApp(app: string): void;
}

/** The agent's side of the API: app registry, status, deploys and history over the controllers. */
export class AgentServiceImpl implements AgentService {
  readonly controllers = new Map<string, AppController>();

  constructor(
    private readonly deps: SyncDeps,
    private readonly bus: EventBus,
    private readonly eventStore: EventStore,
    private readonly secrets: SecretsPort,
    private readonly onShutdown: (opts: { dataplane: boolean }) => Promise<void>,
  ) {}

  /** Starts a controller for every registered app (adopting what runs). */
  async startAll(): Promise<void> {
    for (const app of this.deps.apps.list()) await this.startController(app.name);
  }

  /** Stops every controller and waits for their work to settle; instances keep serving. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.controllers.values()].map((c) => c.stop()));
  }

  async listApps(): Promise<AppSummary[]> {
    return this.deps.apps.list().map(summary);
  }

  async addApp(req: AddAppRequest): Promise<AppSummary> {
    const name = assertAppName(req.name);
    if (!req.repo) throw new WandolError('USAGE', 'an app needs a repository: --repo PATH|URL');
    const row = {
      name,
      repo: req.repo,
      branch: req.branch ?? 'main',
      path: req.path ?? '.',
      pollMs: req.pollMs ?? DEFAULT_POLL_MS,
    };
    if (!this.deps.apps.insert(row))
      throw new WandolError(
        'CONFLICT',
        `app ${name} already exists: remove it first with \`wandol app rm ${name}\``,
      );
    this.bus.record({
      app: name,
      releaseId: null,
      type: 'AppAdded',
      message: `app ${name} added (${row.branch})`,
      data: {},
    });
    await this.startController(name);
    return summary(this.deps.apps.get(name)!);
  }

  async removeApp(name: string): Promise<void> {
    this.appRow(name);
    const runtime = this.controllers.get(name)?.ctx.runtime() ?? this.deps.runtimeFor('process');
    await this.controllers.get(name)?.stop();
    this.controllers.delete(name);
    await this.deps.router.removeRoute(name);
    await stopAll(runtime, name);
    this.deps.apps.remove(name);
    this.secrets.removeApp(name);
    await rm(this.deps.layout.appDir(name), { recursive: true, force: true });
    this.bus.record({
      app: null,
      releaseId: null,
      type: 'AppRemoved',
      message: `app ${name} removed`,
      data: { app: name },
    });
  }

  /**
   * Stops the instances of apps on runtimes other than the data plane's own (containers), for
   * `wandol down`; process instances stop with the data plane. Never throws.
   */
  async stopContainers(): Promise<void> {
    for (const [name, controller] of this.controllers) {
      const runtime = controller.ctx.runtime();
      if (runtime.kind !== 'process') await stopAll(runtime, name).catch(() => undefined);
    }
  }

  async status(name: string): Promise<AppStatus> {
    return appStatus(this.appRow(name), this.controller(name).ctx, this.controller(name).deploying);
  }

  async statuses(): Promise<AppStatus[]> {
    return Promise.all(this.deps.apps.list().map((app) => this.status(app.name)));
  }

  async deploy(name: string, req: DeployRequest): Promise<ReleaseRecord> {
    this.appRow(name);
    return this.record(await this.controller(name).deploy(req.rev, 'manual'));
  }

  async cancel(name: string): Promise<{ cancelled: number[] }> {
    this.appRow(name);
    return { cancelled: this.controller(name).cancel() };
  }

  async rollback(name: string, req: RollbackRequest): Promise<ReleaseRecord> {
    this.appRow(name);
    return this.record(await this.controller(name).rollback(req.to));
  }

  async scale(name: string, replicas: number): Promise<AppStatus> {
    this.appRow(name);
    await this.controller(name).scale(replicas);
    return this.status(name);
  }

  async setSecret(name: string, key: string, value: string): Promise<void> {
    this.appRow(name);
    this.secrets.set(name, key, value);
    this.bus.record({
      app: name,
      releaseId: null,
      type: 'SecretSet',
      message: `secret ${key} set; it takes effect at the next deploy`,
      data: { key },
    });
  }

  async listSecrets(name: string): Promise<SecretList> {
    this.appRow(name);
    return { secrets: this.secrets.list(name) };
  }

  async removeSecret(name: string, key: string): Promise<void> {
    this.appRow(name);
    this.secrets.remove(name, key);
  }

  async releases(name: string): Promise<ReleaseRecord[]> {
    this.appRow(name);
    return Promise.all(this.deps.releases.list(name).map((row) => this.record(row)));
  }

  async release(name: string, id: number): Promise<ReleaseRecord> {
    const row = this.deps.releases.get(id);
    if (!row || row.app !== name)
      throw new WandolError('NOT_FOUND', `app ${name} has no release ${id}: see \`wandol history ${name}\``);
    return this.record(row);
  }

  async logFile(name: string, opts: { build: boolean; release?: number }): Promise<string | undefined> {
    this.appRow(name);
    if (!opts.build) return this.deps.layout.appLog(name);
    const row = opts.release ? await this.release(name, opts.release) : this.deps.releases.list(name, 1)[0];
    return row ? this.deps.layout.buildLog(name, row.revision) : undefined;
  }

  async events(opts: { app?: string; limit: number }): Promise<EventRecord[]> {
    return this.eventStore.list(opts);
  }

  subscribe(listener: (event: EventRecord) => void): () => void {
    return this.bus.subscribe(listener);
  }

  shutdown(opts: { dataplane: boolean }): Promise<void> {
    return this.onShutdown(opts);
  }

  private async startController(name: string): Promise<void> {
    const controller = new AppController(name, this.deps);
    this.controllers.set(name, controller);
    await controller.start();
  }

  private appRow(name: string): AppRow {
    const app = this.deps.apps.get(name);
    if (!app)
      throw new WandolError('NOT_FOUND', `no app named ${JSON.stringify(name)}: see \`wandol app ls\``);
    return app;
  }

  private controller(name: string): AppController {
    const controller = this.controllers.get(name);
    if (!controller) throw new WandolError('NOT_FOUND', `app ${name} is not loaded`);
    return controller;
  }

  private async record(row: ReleaseRow): Promise<ReleaseRecord> {
    const ctx = this.controllers.get(row.app)?.ctx;
    const live = ctx?.live?.releaseId === row.id;
    return {
      id: row.id,
      app: row.app,
      revision: row.revision,
      message: row.message,
      author: row.author,
      trigger: row.trigger,
      status: row.status,
      phase: row.phase,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      error: row.error,
      timings: row.timings,
      traffic: await trafficOf(ctx, row),
      artifact: row.artifact,
      live,
      config: row.config,
    };
  }
}

async function stopAll(runtime: Runtime, app: string): Promise<void> {
  for (const instance of await runtime.list(app)) {
    await runtime.stop(instance.id);
    await runtime.forget(instance.id);
  }
}

function summary(app: AppRow): AppSummary {
  return {
    name: app.name,
    repo: app.repo,
    branch: app.branch,
    path: app.path,
    pollMs: app.pollMs,
    createdAt: app.createdAt,
  };
}
