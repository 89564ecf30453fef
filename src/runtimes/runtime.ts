import type { AppSpec } from '../config/app-spec.js';

/** Where an instance answers: always a loopback address the router can reach. */
export interface Endpoint {
  host: string;
  port: number;
}

/** Instance states as a runtime reports them (readiness is the prober's business, not the runtime's). */
export type InstancePhase = 'Starting' | 'Running' | 'Exited';

/** What the control plane asks a runtime to run. `id` is chosen by the caller and is the identity. */
export interface InstanceSpec {
  /** Unique, `[a-z0-9-]`: `<app>-<releaseId>-<slot>-<n>`. Start/stop are idempotent on it. */
  id: string;
  app: string;
  releaseId: number;
  revision: string;
  /** blue | green for blue-green; any short label for other strategies. */
  slot: string;
  /** process runtime: the folder the command runs in (the app's path inside the release folder). */
  workdir: string;
  /** process runtime: the command line from `run.command`, run by /bin/sh as the user wrote it. */
  command?: string;
  /** docker/kubernetes runtimes: the image to run. */
  image?: string;
  /** The port the app listens on inside its sandbox (docker/kubernetes); process gets one assigned. */
  port?: number;
  env: Record<string, string>;
  resources: AppSpec['resources'];
  volumes: AppSpec['volumes'];
  terminationGracePeriodMs: number;
  /** Where the instance's stdout/stderr lines are appended (one file per app, lines prefixed). */
  logFile: string;
}

/** The latest resource sample of an instance (all its processes together). */
export interface InstanceUsage {
  /** CPU time (user + system) used since it started, seconds; never decreases. */
  cpuSeconds: number;
  /** Memory in use now, bytes (process runtime: summed RSS of the process group). */
  memoryBytes: number;
  /** When the sample was taken, milliseconds since the epoch. */
  sampledAt: number;
}

/** The `reason` of an instance a memory limit killed (Kubernetes' name). */
export const OOM_KILLED = 'OOMKilled';

/** An instance as the runtime sees it now. */
export interface Instance {
  id: string;
  app: string;
  releaseId: number;
  revision: string;
  slot: string;
  phase: InstancePhase;
  /** Where the router sends traffic; undefined for an instance that exposes no port. */
  endpoint?: Endpoint;
  pid?: number;
  startedAt: number;
  /** Null when a signal ended it; 137 (128 + SIGKILL) when a memory limit killed it. */
  exitCode?: number | null;
  signal?: string | null;
  exitedAt?: number;
  /** OOMKilled when a memory limit killed it; undefined otherwise. */
  reason?: string;
  /**
   * The latest resource sample, for runtimes that measure (kept after exit); undefined until the
   * first sample. Autoscaling divides its CPU rate by `resources.cpuMillis`.
   */
  usage?: InstanceUsage;
}

/** What a runtime can do, so strategies read capabilities and never a runtime's kind. */
export interface RuntimeCapabilities {
  /** Two releases of one app can run side by side (blue-green, rolling surge). */
  parallelReleases: boolean;
  /** The runtime enforces `resources.memory`. */
  memoryLimit: boolean;
}

/**
 * The runtime port. Every adapter (fake, process, docker, kubernetes) passes the shared contract
 * suite in `runtime-contract.ts`. Adapters list and stop only instances they labelled; `start` and
 * `stop` are idempotent; a missing instance is a normal answer (undefined), not an error.
 */
export interface Runtime {
  readonly kind: string;
  readonly capabilities: RuntimeCapabilities;
  /** Starts the instance, or returns it as it is if `spec.id` already runs. Throws WandolError. */
  start(spec: InstanceSpec): Promise<Instance>;
  /** Stops the instance: SIGTERM, then SIGKILL after its grace period. Resolves once it is gone. */
  stop(id: string): Promise<void>;
  /** The instance with this id, exited ones included until `forget`; undefined when unknown. */
  get(id: string): Promise<Instance | undefined>;
  /** All instances this runtime labelled, optionally of one app. */
  list(app?: string): Promise<Instance[]>;
  /** Drops the record of an exited instance. Idempotent. */
  forget(id: string): Promise<void>;
  /**
   * Runs an exec probe inside the instance (runtimes that isolate instances, like containers);
   * absent when exec probes run on the host in the instance's folder. Resolves true on exit 0.
   */
  probeExec?(id: string, command: string[], timeoutMs: number): Promise<boolean>;
}
