import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WandolError } from '../../core/errors.js';
import {
  OOM_KILLED,
  type Instance,
  type InstanceSpec,
  type InstanceUsage,
  type Runtime,
  type RuntimeCapabilities,
} from '../runtime.js';

/** Settings of a FakeRuntime. */
export interface FakeRuntimeOptions {
  /** Give each instance a real tiny HTTP server on 127.0.0.1 (answers its revision, 200 on /healthz). */
  serve?: boolean;
  capabilities?: Partial<RuntimeCapabilities>;
}

interface FakeInstance {
  instance: Instance;
  server?: Server;
}

/** Fake endpoints get unique port numbers from here (nothing of ours listens on them). */
let nextFakePort = 41_000;

/**
 * A FAKE runtime, in memory, for unit tests of rollout and sync logic: no process is started.
 * Instances get a made-up 127.0.0.1 endpoint, or with `{ serve: true }` a real tiny HTTP server.
 * Test hooks: `crash`, `oomKill`, `setUsage`, `failNextStart`, and `calls` (every call in order,
 * like `start:<id>`). No usage is reported until `setUsage`.
 */
export class FakeRuntime implements Runtime {
  readonly kind = 'fake';
  readonly capabilities: RuntimeCapabilities;
  /** Every call in order: `start:<id>`, `stop:<id>`, `forget:<id>`. */
  readonly calls: string[] = [];
  private readonly instances = new Map<string, Promise<FakeInstance>>();
  private nextStartError?: Error;

  constructor(private readonly opts: FakeRuntimeOptions = {}) {
    this.capabilities = { parallelReleases: true, memoryLimit: false, ...opts.capabilities };
  }

  /** Starts (or returns) the instance; throws the error given to failNextStart once. */
  async start(spec: InstanceSpec): Promise<Instance> {
    this.calls.push(`start:${spec.id}`);
    const existing = this.instances.get(spec.id);
    if (existing) return structuredClone((await existing).instance);
    const error = this.nextStartError;
    if (error) {
      this.nextStartError = undefined;
      throw error;
    }
    const started = this.create(spec);
    this.instances.set(spec.id, started);
    started.catch(() => this.instances.delete(spec.id));
    return structuredClone((await started).instance);
  }

  /** Marks the instance Exited by SIGTERM (closing its server). Idempotent. */
  async stop(id: string): Promise<void> {
    this.calls.push(`stop:${id}`);
    await this.exit(id, null, 'SIGTERM');
  }

  /** The instance, or undefined. */
  async get(id: string): Promise<Instance | undefined> {
    const fake = await this.instances.get(id);
    return fake && structuredClone(fake.instance);
  }

  /** Instances, optionally of one app. */
  async list(app?: string): Promise<Instance[]> {
    const all = (await Promise.all(this.instances.values())).map((fake) => structuredClone(fake.instance));
    return all.filter((instance) => app === undefined || instance.app === app);
  }

  /** Drops an exited instance. Idempotent; throws CONFLICT while it runs, like the real ones. */
  async forget(id: string): Promise<void> {
    this.calls.push(`forget:${id}`);
    const fake = await this.instances.get(id);
    if (fake && fake.instance.phase !== 'Exited') {
      throw new WandolError('CONFLICT', `instance ${id} is still running: stop it before forgetting it`);
    }
    this.instances.delete(id);
  }

  /** Test hook: the instance dies by itself with `exitCode`. No-op for unknown or exited ones. */
  async crash(id: string, exitCode = 1): Promise<void> {
    await this.exit(id, exitCode, null);
  }

  /** Test hook: the instance is killed for its memory (reason OOMKilled, 137, SIGKILL). */
  async oomKill(id: string): Promise<void> {
    await this.exit(id, 137, 'SIGKILL', OOM_KILLED);
  }

  /** Test hook: the instance now reports `usage` (as a runtime's sampler would). No-op when unknown. */
  async setUsage(id: string, usage: InstanceUsage): Promise<void> {
    const fake = await this.instances.get(id);
    if (fake) fake.instance.usage = { ...usage };
  }

  /** Test hook: the next start (of a new id) throws `error`. */
  failNextStart(error: Error): void {
    this.nextStartError = error;
  }

  /** Closes every server of `{ serve: true }`; call it in `after`. */
  async close(): Promise<void> {
    await Promise.all([...this.instances.keys()].map((id) => this.exit(id, null, 'SIGTERM')));
  }

  private async create(spec: InstanceSpec): Promise<FakeInstance> {
    const server = this.opts.serve ? await serveRevision(spec.revision) : undefined;
    const endpoint = { host: '127.0.0.1', port: server ? portOf(server) : fakePort() };
    return { instance: { ...identity(spec), phase: 'Running', endpoint, startedAt: Date.now() }, server };
  }

  private async exit(
    id: string,
    exitCode: number | null,
    signal: string | null,
    reason?: string,
  ): Promise<void> {
    const fake = await this.instances.get(id);
    if (!fake || fake.instance.phase === 'Exited') return;
    Object.assign(fake.instance, { phase: 'Exited', exitCode, signal, exitedAt: Date.now() });
    if (reason !== undefined) fake.instance.reason = reason;
    const server = fake.server;
    fake.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections());
  }
}

function identity(spec: InstanceSpec): Pick<Instance, 'id' | 'app' | 'releaseId' | 'revision' | 'slot'> {
  return { id: spec.id, app: spec.app, releaseId: spec.releaseId, revision: spec.revision, slot: spec.slot };
}

function fakePort(): number {
  if (nextFakePort > 65_000) nextFakePort = 41_000;
  return nextFakePort++;
}

function serveRevision(revision: string): Promise<Server> {
  const server = createServer((req, res) => res.end(req.url === '/healthz' ? 'ok' : revision));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
