import { WandolError } from '../core/errors.js';
import type { AgentService } from './agent-service.js';
import type {
  AddAppRequest,
  AppStatus,
  AppSummary,
  DeployRequest,
  EventRecord,
  ReleaseRecord,
  RollbackRequest,
  SecretList,
} from './wire.js';

/**
 * A stand-in AgentService for the API, client and CLI tests: in-memory apps, releases and events,
 * and a record of every call. It is not the agent (the real one is tested end to end elsewhere);
 * it only lets the HTTP layer be exercised over real sockets.
 */
export class FakeAgentService implements AgentService {
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly apps = new Map<string, AppSummary>();
  readonly releaseList = new Map<string, ReleaseRecord[]>();
  eventLog: EventRecord[] = [];
  logPaths = new Map<string, string>();
  shutdowns: { dataplane: boolean }[] = [];
  /** Set to make the next call of any method throw it. */
  failNext: unknown;
  private listeners = new Set<(event: EventRecord) => void>();

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Delivers `event` to every subscriber. */
  emit(event: EventRecord): void {
    for (const listener of this.listeners) listener(event);
  }

  async listApps(): Promise<AppSummary[]> {
    this.record('listApps');
    return [...this.apps.values()];
  }
  async addApp(req: AddAppRequest): Promise<AppSummary> {
    this.record('addApp', req);
    if (this.apps.has(req.name)) throw new WandolError('CONFLICT', `app ${req.name} exists already`);
    const app: AppSummary = {
      name: req.name,
      repo: req.repo,
      branch: req.branch ?? 'main',
      path: req.path ?? '.',
      pollMs: req.pollMs ?? 10_000,
      createdAt: '2024-01-01T00:00:00.000Z',
    };
    this.apps.set(app.name, app);
    return app;
  }
  async removeApp(name: string): Promise<void> {
    this.record('removeApp', name);
    this.known(name);
    this.apps.delete(name);
  }
  async status(name: string): Promise<AppStatus> {
    this.record('status', name);
    return fakeStatus(this.known(name));
  }
  async statuses(): Promise<AppStatus[]> {
    this.record('statuses');
    return [...this.apps.values()].map(fakeStatus);
  }
  async deploy(name: string, req: DeployRequest): Promise<ReleaseRecord> {
    this.record('deploy', name, req);
    this.known(name);
    const list = this.releaseList.get(name) ?? [];
    const release = fakeRelease(name, list.length + 1, req.rev ?? 'a'.repeat(40));
    this.releaseList.set(name, [release, ...list]);
    return release;
  }
  async cancel(name: string): Promise<{ cancelled: number[] }> {
    this.record('cancel', name);
    this.known(name);
    return { cancelled: [] };
  }
  async rollback(name: string, req: RollbackRequest): Promise<ReleaseRecord> {
    this.record('rollback', name, req);
    this.known(name);
    const list = this.releaseList.get(name) ?? [];
    const release = { ...fakeRelease(name, list.length + 1, 'b'.repeat(40)), trigger: 'rollback' as const };
    this.releaseList.set(name, [release, ...list]);
    return release;
  }
  async scale(name: string, replicas: number): Promise<AppStatus> {
    this.record('scale', name, replicas);
    return this.status(name);
  }
  readonly secrets = new Map<string, Map<string, string>>();
  async setSecret(name: string, key: string, value: string): Promise<void> {
    this.record('setSecret', name, key);
    this.known(name);
    const map = this.secrets.get(name) ?? new Map<string, string>();
    map.set(key, value);
    this.secrets.set(name, map);
  }
  async listSecrets(name: string): Promise<SecretList> {
    this.record('listSecrets', name);
    this.known(name);
    const names = [...(this.secrets.get(name)?.keys() ?? [])].sort();
    return { secrets: names.map((n) => ({ name: n, updatedAt: '2024-01-01T00:00:00.000Z' })) };
  }
  async removeSecret(name: string, key: string): Promise<void> {
    this.record('removeSecret', name, key);
    this.secrets.get(name)?.delete(key);
  }
  async releases(name: string): Promise<ReleaseRecord[]> {
    this.record('releases', name);
    this.known(name);
    return this.releaseList.get(name) ?? [];
  }
  async release(name: string, id: number): Promise<ReleaseRecord> {
    this.record('release', name, id);
    const found = (this.releaseList.get(this.known(name).name) ?? []).find((r) => r.id === id);
    if (!found) throw new WandolError('NOT_FOUND', `no release ${id} of app ${name}`);
    return found;
  }
  async logFile(name: string, opts: { build: boolean; release?: number }): Promise<string | undefined> {
    this.record('logFile', name, opts);
    this.known(name);
    return this.logPaths.get(opts.build ? `${name}:build` : name);
  }
  async events(opts: { app?: string; limit: number }): Promise<EventRecord[]> {
    this.record('events', opts);
    return this.eventLog.filter((e) => opts.app === undefined || e.app === opts.app).slice(0, opts.limit);
  }
  subscribe(listener: (event: EventRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async shutdown(opts: { dataplane: boolean }): Promise<void> {
    this.record('shutdown', opts);
    this.shutdowns.push(opts);
  }

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const fail = this.failNext;
    if (fail !== undefined) {
      this.failNext = undefined;
      throw fail;
    }
  }

  private known(name: string): AppSummary {
    const app = this.apps.get(name);
    if (!app) throw new WandolError('NOT_FOUND', `no app named ${name}: see \`wandol app ls\``);
    return app;
  }
}

/** A plausible AppStatus of a registered app. */
export function fakeStatus(app: AppSummary): AppStatus {
  return {
    name: app.name,
    sync: 'Synced',
    syncReason: '',
    health: 'Healthy',
    healthReason: '',
    revision: 'b'.repeat(40),
    headRevision: 'b'.repeat(40),
    liveReleaseId: 1,
    replicas: { desired: 1, ready: 1 },
    url: 'http://127.0.0.1:8081/',
    instances: [],
    lastError: null,
    repo: app.repo,
    branch: app.branch,
  };
}

/** A release record as the agent stores it when queued. */
export function fakeRelease(app: string, id: number, revision: string): ReleaseRecord {
  return {
    id,
    app,
    revision,
    message: 'change',
    author: 'Test User',
    trigger: 'manual',
    status: 'InProgress',
    phase: 'Queued',
    startedAt: '2024-01-01T00:00:00.000Z',
    finishedAt: null,
    error: null,
    timings: {},
    traffic: { requests: 0, failed: 0, p99Ms: null, window: 'none' },
    artifact: null,
    live: false,
    config: null,
  };
}
