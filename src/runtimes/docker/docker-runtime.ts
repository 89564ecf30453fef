import type Docker from 'dockerode';
import { sleep } from '../../core/clock.js';
import { WandolError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { LogSinks } from '../process/log-sinks.js';
import type { Instance, InstanceSpec, Runtime, RuntimeCapabilities } from '../runtime.js';
import { instanceOf, mayBeUnreportedOom } from './container-instance.js';
import { containerCreateOptions, containerName, LABEL, volumeName } from './container-spec.js';
import { ContainerWatches } from './container-watch.js';
import {
  dockerEngine,
  engineCall,
  engineMessage,
  orUndefinedIfMissing,
  statusOf,
  type DockerEngine,
} from './docker-engine.js';
import { execInContainer } from './exec-probe.js';

/** How a DockerRuntime is made. */
export interface DockerRuntimeOptions {
  /** The engine to talk to; default: DOCKER_HOST, else /var/run/docker.sock. */
  engine?: DockerEngine;
  logger?: Logger;
  /**
   * Marks every container (and volume) with `wandol.scope=<scope>` and lists only those: for
   * several wandol data dirs, or tests, on one engine. Unset: every wandol-labelled container.
   */
  scope?: string;
  /** Streams each running container's stats for `usage` (default true). */
  sampleUsage?: boolean;
}

/**
 * The docker runtime: one container `wandol-<id>` per instance, labelled with its identity, its
 * port published on an ephemeral 127.0.0.1 port, resources as cgroup limits, named volumes
 * `wandol-<app>-<name>` that outlive releases. Containers outlive the agent; a restarted agent's
 * `list`/`get` adopt them and resume following their output into the app log. Every method throws
 * WandolError DATAPLANE_UNREACHABLE when the engine does not answer.
 */
export class DockerRuntime implements Runtime {
  readonly kind = 'docker';
  readonly capabilities: RuntimeCapabilities = { parallelReleases: true, memoryLimit: true };
  private readonly docker: Docker;
  private readonly address: string;
  private readonly logger: Logger;
  private readonly sinks: LogSinks;
  private readonly watches: ContainerWatches;
  private readonly starting = new Map<string, Promise<Instance>>();
  private readonly stopping = new Map<string, Promise<void>>();

  constructor(private readonly options: DockerRuntimeOptions = {}) {
    const engine = options.engine ?? dockerEngine();
    this.docker = engine.docker;
    this.address = engine.address;
    this.logger = options.logger ?? silentLogger;
    this.sinks = new LogSinks(this.logger);
    this.watches = new ContainerWatches(this.docker, this.sinks, this.logger, options.sampleUsage ?? true);
  }

  /** Resolves when the engine answers; throws DATAPLANE_UNREACHABLE otherwise. */
  async ping(): Promise<void> {
    await engineCall(this.address, 'ping', () => this.docker.ping());
  }

  /**
   * Creates and starts the instance's container, or returns the existing one with this id as it is
   * (Exited included). Throws INVALID_NAME/INVALID_CONFIG for a bad spec, NOT_FOUND for a missing
   * image, CONFLICT when the name belongs to a container wandol did not label.
   */
  start(spec: InstanceSpec): Promise<Instance> {
    const pending = this.starting.get(spec.id);
    if (pending) return pending;
    const started = this.startOnce(spec).finally(() => this.starting.delete(spec.id));
    this.starting.set(spec.id, started);
    return started;
  }

  /** `docker stop` (SIGTERM, SIGKILL after the grace period), then removal; volumes stay. Idempotent. */
  stop(id: string): Promise<void> {
    const pending = this.stopping.get(id);
    if (pending) return pending;
    const stopped = this.stopOnce(id).finally(() => this.stopping.delete(id));
    this.stopping.set(id, stopped);
    return stopped;
  }

  /** The instance, Exited ones included until forget (stop removes them); undefined when unknown. */
  async get(id: string): Promise<Instance | undefined> {
    return engineCall(this.address, `inspecting ${id}`, async () => {
      const info = await this.inspectSettled(id);
      return info && this.observed(info, id);
    });
  }

  /** Every container this runtime labelled (of one app), adopting those it did not follow yet. */
  async list(app?: string): Promise<Instance[]> {
    return engineCall(this.address, 'listing containers', async () => {
      const label = [
        app === undefined ? LABEL.app : `${LABEL.app}=${app}`,
        LABEL.instance,
        ...this.scopeFilter(),
      ];
      const found = await this.docker.listContainers({ all: true, filters: { label } });
      const instances = await Promise.all(
        found.map(async (c) => {
          const id = c.Labels[LABEL.instance] ?? '';
          const info = await this.inspectSettled(id);
          return info && this.observed(info, id);
        }),
      );
      return instances.filter((i): i is Instance => i !== undefined);
    });
  }

  /** Removes an exited instance's container. Idempotent; CONFLICT while it still runs. */
  async forget(id: string): Promise<void> {
    await engineCall(this.address, `removing ${id}`, async () => {
      const info = await this.inspectOwn(id);
      if (!info) return;
      if (instanceOf(info)?.phase !== 'Exited') {
        throw new WandolError('CONFLICT', `instance ${id} is still running: stop it before forgetting it`);
      }
      await this.remove(id);
    });
  }

  /**
   * Runs an exec probe's command inside the instance's container: true when it exits 0 within
   * `timeoutMs`. Never throws (an unreachable engine or a missing container is a failed check).
   */
  probeExec(id: string, command: string[], timeoutMs: number): Promise<boolean> {
    return execInContainer(this.docker.getContainer(containerName(id)), command, timeoutMs);
  }

  /** Stops following container output and closes the app logs. Containers keep running. */
  async close(): Promise<void> {
    await this.watches.close();
    await this.sinks.closeAll();
  }

  private async startOnce(spec: InstanceSpec): Promise<Instance> {
    const options = containerCreateOptions(spec, this.scopeLabels());
    return engineCall(this.address, `starting ${spec.id}`, async () => {
      const existing = await this.inspectOwn(spec.id, true);
      if (existing) return this.observed(existing, spec.id, true);
      await this.ensureVolumes(spec);
      const container = await this.create(options);
      if (!container) return this.observed(await this.mustInspect(spec.id), spec.id, true); // lost a race
      await container.start().catch((err: unknown) => {
        if (statusOf(err) !== 304) throw err; // 304: already started
      });
      const info = await container.inspect();
      this.watches.watch({ container, id: spec.id, logFile: spec.logFile, running: true, adopted: false });
      return instanceOf(info, this.watches.usage(spec.id))!;
    });
  }

  private async stopOnce(id: string): Promise<void> {
    await engineCall(this.address, `stopping ${id}`, async () => {
      const info = await this.inspectOwn(id);
      if (!info) return;
      const container = this.docker.getContainer(containerName(id));
      await container.stop().catch((err: unknown) => {
        if (statusOf(err) !== 304 && statusOf(err) !== 404) throw err; // 304: not running
      });
      await this.watches.drained(id);
      await this.remove(id);
    });
  }

  /** The container's instance as seen now; starts following it if this agent is not yet. */
  private observed(info: Docker.ContainerInspectInfo, id: string, fromStart = false): Instance {
    const instance = instanceOf(info, this.watches.usage(id))!;
    if (fromStart || !this.starting.has(id)) {
      this.watches.watch({
        container: this.docker.getContainer(info.Id),
        id,
        logFile: info.Config.Labels?.[LABEL.logFile],
        running: instance.phase !== 'Exited',
        adopted: true,
      });
    }
    return instance;
  }

  /**
   * inspectOwn, asked again (twice at most, 250 ms apart) while a fresh SIGKILL exit of a
   * memory-limited container may still turn out to be an OOM kill, so that it is reported as one.
   */
  private async inspectSettled(id: string): Promise<Docker.ContainerInspectInfo | undefined> {
    let info = await this.inspectOwn(id);
    for (let i = 0; i < 2 && info && !this.stopping.has(id) && mayBeUnreportedOom(info, Date.now()); i++) {
      await sleep(250);
      info = await this.inspectOwn(id);
    }
    return info;
  }

  /**
   * The inspected container of instance `id` if this runtime labelled it, else undefined. With
   * `claim`, a container of that name that is not ours is a CONFLICT (its name is taken).
   */
  private async inspectOwn(id: string, claim = false): Promise<Docker.ContainerInspectInfo | undefined> {
    if (!id) return undefined;
    const info = await orUndefinedIfMissing(this.docker.getContainer(containerName(id)).inspect());
    if (!info) return undefined;
    const labels = info.Config.Labels ?? {};
    const ours =
      labels[LABEL.instance] === id && (!this.options.scope || labels[LABEL.scope] === this.options.scope);
    if (ours) return info;
    if (!claim) return undefined;
    throw new WandolError(
      'CONFLICT',
      `a container named ${containerName(id)} exists that this wandol did not start: remove it (docker rm -f ${containerName(id)})`,
    );
  }

  private async mustInspect(id: string): Promise<Docker.ContainerInspectInfo> {
    const info = await this.inspectOwn(id, true);
    if (!info) throw new WandolError('INTERNAL', `container ${containerName(id)} vanished while starting`);
    return info;
  }

  /** Creates the container; undefined when one of that name appeared meanwhile (409). */
  private async create(options: Docker.ContainerCreateOptions): Promise<Docker.Container | undefined> {
    try {
      return await this.docker.createContainer(options);
    } catch (err) {
      if (statusOf(err) === 409) return undefined;
      if (statusOf(err) === 404) {
        throw new WandolError(
          'NOT_FOUND',
          `image ${options.Image} is not in the Docker engine (${engineMessage(err)}): rebuild the release (wandol deploy)`,
          { cause: err },
        );
      }
      if (statusOf(err) === 400) {
        throw new WandolError('INVALID_CONFIG', `Docker refused the container: ${engineMessage(err)}`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  /** Creates the app's named volumes with wandol's labels (Docker keeps existing ones as they are). */
  private async ensureVolumes(spec: InstanceSpec): Promise<void> {
    for (const volume of spec.volumes) {
      await this.docker.createVolume({
        Name: volumeName(spec.app, volume.name),
        Labels: { [LABEL.app]: spec.app, ...this.scopeLabels() },
      });
    }
  }

  private async remove(id: string): Promise<void> {
    await this.docker
      .getContainer(containerName(id))
      .remove({ force: true, v: false })
      .catch((err: unknown) => {
        // 404: gone already; 409: another call is removing it
        if (statusOf(err) !== 404 && statusOf(err) !== 409) throw err;
      });
    this.watches.forget(id);
  }

  private scopeLabels(): Record<string, string> {
    return this.options.scope ? { [LABEL.scope]: this.options.scope } : {};
  }

  private scopeFilter(): string[] {
    return this.options.scope ? [`${LABEL.scope}=${this.options.scope}`] : [];
  }
}
