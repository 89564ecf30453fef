import { WandolError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { OOM_KILLED, type Instance, type InstanceSpec } from '../runtime.js';
import { childEnv } from './child-env.js';
import { LogSinks, type LogSink } from './log-sinks.js';
import { OOM_EXIT_CODE, oomLogLine } from './memory-limit.js';
import { killOrphans } from './orphans.js';
import { allocatePort } from './port.js';
import { signalGroup } from './process-group.js';
import { ResourceWatch } from './resource-watch.js';
import { checkProcessSpec, spawnInstance, type SpawnedInstance } from './spawn-instance.js';
import { terminateGroup } from './terminate-group.js';
import { readStateFile, writeStateFile, type ChildRecord } from './state-file.js';

/** Settings of a Supervisor. */
export interface SupervisorOptions {
  /** Where the children are recorded on every change (DataLayout.dataplaneState). */
  stateFile: string;
  logger: Logger;
  /** Where the instances' base variables (PATH, HOME, LANG, TZ) come from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How often every running instance's usage is sampled (and its memory limit checked); default 1 s. */
  sampleIntervalMs?: number;
}

interface Child {
  spec: InstanceSpec;
  instance: Instance;
  spawned: SpawnedInstance;
  /** The app's log file, held until the instance's output is closed. */
  sink: LogSink;
  /** Set once the group was SIGKILLed for using more memory than its limit. */
  oomKilled?: boolean;
  /** Set once the group is being (or was) terminated, by stop() or after the leader exited. */
  ending?: Promise<void>;
  /** true once the whole group is gone: it leaves the state file. */
  gone: boolean;
}

/**
 * The parent of every app instance of the process runtime. Each instance is `/bin/sh -c <command>`
 * in its own process group, on a loopback port of its own, its output appended to the app's log.
 * Children are recorded in a state file; on construction, the groups a crashed predecessor left
 * behind are stopped (after checking /proc that they are ours), never adopted.
 *
 * Every running group is sampled each second (`instance.usage`: CPU seconds and summed RSS). A group
 * whose RSS is above its `resources.memory` is SIGKILLed at once, whole, and reported Exited with
 * reason OOMKilled, exit code 137 and signal SIGKILL, with a line in the app's log saying why.
 */
export class Supervisor {
  /** Resolves with the number of orphan groups stopped at construction; never rejects. */
  readonly orphansCleaned: Promise<number>;
  private readonly children = new Map<string, Child>();
  private readonly starting = new Map<string, Promise<Instance>>();
  private readonly sinks: LogSinks;
  private readonly logger: Logger;
  private readonly watch: ResourceWatch<Child>;
  private orphans: ChildRecord[];
  private closing = false;

  constructor(private readonly opts: SupervisorOptions) {
    this.logger = opts.logger;
    this.sinks = new LogSinks(opts.logger);
    this.watch = new ResourceWatch<Child>({
      running: () => [...this.children.values()].filter((child) => child.instance.phase !== 'Exited'),
      onOverLimit: (child, usedBytes, limitBytes) => this.oomKill(child, usedBytes, limitBytes),
      logger: opts.logger,
      intervalMs: opts.sampleIntervalMs,
    });
    this.orphans = readStateFile(opts.stateFile, opts.logger);
    this.orphansCleaned = killOrphans(this.orphans, opts.logger).then((count) => {
      this.orphans = [];
      this.saveState();
      return count;
    });
  }

  /**
   * Starts the instance, or returns the existing one with this id as it is (even Exited: forget it
   * to reuse the id). Phase is Running right after spawn: readiness is probed elsewhere. Throws
   * WandolError (INVALID_NAME, INVALID_CONFIG, NOT_FOUND for a missing workdir, CONFLICT when closing).
   */
  async start(spec: InstanceSpec): Promise<Instance> {
    const existing = this.children.get(spec.id);
    if (existing) return snapshot(existing.instance);
    const pending = this.starting.get(spec.id);
    if (pending) return pending;
    const started = this.spawn(spec).finally(() => this.starting.delete(spec.id));
    this.starting.set(spec.id, started);
    return started;
  }

  /**
   * SIGTERM to the instance's process group, SIGKILL after its grace period; resolves once the
   * whole group is gone. Idempotent: unknown or already-exited ids resolve at once, and concurrent
   * calls share one promise. Never throws.
   */
  async stop(id: string): Promise<void> {
    await this.starting.get(id)?.catch(() => undefined);
    const child = this.children.get(id);
    if (!child) return;
    if (!child.ending) {
      this.logger.info('InstanceStopping', { id, app: child.spec.app, pid: child.spawned.pid });
      child.ending = this.terminate(child);
    }
    return child.ending;
  }

  /** The instance (exited ones included until forget), or undefined. */
  get(id: string): Instance | undefined {
    const child = this.children.get(id);
    return child && snapshot(child.instance);
  }

  /** Every instance, optionally of one app, in start order. */
  list(app?: string): Instance[] {
    return [...this.children.values()]
      .filter((child) => app === undefined || child.spec.app === app)
      .map((child) => snapshot(child.instance));
  }

  /** Drops an exited instance's record. Idempotent; throws CONFLICT while it still runs. */
  async forget(id: string): Promise<void> {
    const child = this.children.get(id);
    if (!child) return;
    if (child.instance.phase !== 'Exited') {
      throw new WandolError('CONFLICT', `instance ${id} is still running: stop it before forgetting it`);
    }
    await child.ending;
    this.children.delete(id);
  }

  /** Stops every instance (see stop) in parallel. Never throws. */
  async stopAll(): Promise<void> {
    const ids = new Set([...this.children.keys(), ...this.starting.keys()]);
    await Promise.all([...ids].map((id) => this.stop(id)));
  }

  /** Refuses new starts, stops every instance, waits for orphan cleanup and closes the log files. */
  async close(): Promise<void> {
    this.closing = true;
    await this.stopAll();
    this.watch.stop();
    await this.orphansCleaned;
    await this.sinks.closeAll();
  }

  private async spawn(spec: InstanceSpec): Promise<Instance> {
    if (this.closing) {
      throw new WandolError('CONFLICT', 'the data plane is shutting down: run `wandol up` again to start it');
    }
    const command = checkProcessSpec(spec);
    const port = await allocatePort(this.takenPorts());
    const sink = this.sinks.acquire(spec.logFile);
    let spawned: SpawnedInstance;
    try {
      spawned = await spawnInstance(spec, command, childEnv(spec, port, this.opts.env ?? process.env), sink);
    } catch (err) {
      sink.release();
      throw err;
    }
    void spawned.closed.then(() => sink.release());
    const instance: Instance = {
      ...identity(spec),
      phase: 'Running',
      endpoint: { host: '127.0.0.1', port },
      pid: spawned.pid,
      startedAt: Date.now(),
    };
    const child: Child = { spec, instance, spawned, sink, gone: false };
    this.children.set(spec.id, child);
    this.saveState();
    this.watch.wake();
    this.logger.info('InstanceStarted', { id: spec.id, app: spec.app, pid: spawned.pid, port });
    void spawned.exited.then((exit) => this.onExit(child, exit));
    return snapshot(instance);
  }

  private onExit(child: Child, exit: { code: number | null; signal: NodeJS.Signals | null }): void {
    // Reported the way Kubernetes reports an OOM kill, whatever the shell made of the SIGKILL.
    const ended = child.oomKilled
      ? { exitCode: OOM_EXIT_CODE, signal: 'SIGKILL', reason: OOM_KILLED }
      : { exitCode: exit.code, signal: exit.signal };
    Object.assign(child.instance, { phase: 'Exited', ...ended, exitedAt: Date.now() });
    const { id, app } = child.spec;
    // An exit nobody asked for (a crash) is worth a warning; a stopped instance is routine.
    const level = child.ending ? 'info' : 'warn';
    this.logger[level]('InstanceExited', { id, app, ...ended });
    // The leader is gone, but processes it started may still hold the group: end them too.
    child.ending ??= this.terminate(child);
  }

  /** SIGKILLs the whole group at once (no grace: it is over its limit) and says why in the app's log. */
  private oomKill(child: Child, usedBytes: number, limitBytes: number): void {
    if (child.oomKilled) return;
    const { spec, spawned } = child;
    try {
      if (!signalGroup(spawned.pid, 'SIGKILL')) return;
    } catch (err) {
      this.logger.error('InstanceKillFailed', { id: spec.id, pgid: spawned.pid, err });
      return;
    }
    child.oomKilled = true;
    child.sink.write(oomLogLine(spec.id, usedBytes, limitBytes, new Date()));
    this.logger.warn('InstanceOOMKilled', {
      id: spec.id,
      app: spec.app,
      pgid: spawned.pid,
      memoryBytes: usedBytes,
      limitBytes,
    });
  }

  private async terminate(child: Child): Promise<void> {
    const { spec, spawned } = child;
    try {
      const outcome = await terminateGroup(spawned, spec.terminationGracePeriodMs);
      if (outcome === 'killed') {
        this.logger.warn('InstanceKilled', {
          id: spec.id,
          pgid: spawned.pid,
          graceMs: spec.terminationGracePeriodMs,
        });
      }
    } catch (err) {
      this.logger.error('InstanceStopFailed', { id: spec.id, pgid: spawned.pid, err });
    }
    child.gone = true;
    this.saveState();
  }

  private takenPorts(): Set<number> {
    const ports = [...this.children.values()].filter((c) => c.instance.phase !== 'Exited');
    return new Set(ports.map((c) => c.instance.endpoint?.port ?? 0));
  }

  private saveState(): void {
    const live = [...this.children.values()].filter((child) => !child.gone).map(toRecord);
    try {
      writeStateFile(this.opts.stateFile, [...live, ...this.orphans]);
    } catch (err) {
      this.logger.error('StateFileWriteFailed', { path: this.opts.stateFile, err });
    }
  }
}

function toRecord({ spec, instance, spawned }: Child): ChildRecord {
  const { id, app, terminationGracePeriodMs } = spec;
  return {
    id,
    app,
    pid: spawned.pid,
    pgid: spawned.pid,
    startedAt: instance.startedAt,
    terminationGracePeriodMs,
  };
}

function identity(spec: InstanceSpec): Pick<Instance, 'id' | 'app' | 'releaseId' | 'revision' | 'slot'> {
  return { id: spec.id, app: spec.app, releaseId: spec.releaseId, revision: spec.revision, slot: spec.slot };
}

function snapshot(instance: Instance): Instance {
  return structuredClone(instance);
}
