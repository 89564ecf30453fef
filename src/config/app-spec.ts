/** The runtimes an app spec can name. */
export type RuntimeKind = 'process' | 'docker' | 'kubernetes';
/** Rollout strategies. */
export type StrategyType = 'blue-green' | 'rolling' | 'recreate';

/** The most replicas `wandol scale` (CLI, API and control loop alike) sets. */
export const MAX_REPLICAS = 100;

/** What a notification is about: a deploy's start and outcome, a rollback, health turning Degraded. */
export type NotifyKind = 'started' | 'succeeded' | 'failed' | 'rolledBack' | 'degraded';
/** Where notifications go: a Discord or Slack incoming webhook, or a generic JSON webhook. */
export type NotifyType = 'discord' | 'slack' | 'webhook';

/**
 * One `notify` entry as written: exactly one of `url` (in wandol.yaml only for type webhook) and
 * `urlSecret` (the name of an app secret holding the URL). `signingSecret` (type webhook only) is a
 * secret name in wandol.yaml and the key itself in the agent's notify file. `on` defaults to every kind.
 */
export interface NotifySpec {
  type: NotifyType;
  url?: string;
  urlSecret?: string;
  signingSecret?: string;
  on: NotifyKind[];
}

/** A Kubernetes-style probe action: exactly one of these is set. */
export type ProbeAction =
  | {
      kind: 'httpGet';
      path: string;
      port?: number;
      scheme: 'HTTP';
      httpHeaders: { name: string; value: string }[];
    }
  | { kind: 'tcpSocket'; port?: number }
  | { kind: 'exec'; command: string[] };

/** A probe with Kubernetes semantics; all times in milliseconds. */
export interface Probe {
  action: ProbeAction;
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

/**
 * One `build.cache` entry: `paths` (folders, relative to the app folder) are restored from the cache
 * before the build when the content of the `key` files (relative to the app folder) is unchanged;
 * otherwise `command` runs and the folders are saved.
 */
export interface BuildCacheSpec {
  key: string[];
  paths: string[];
  command?: string;
}

/**
 * A validated `wandol.yaml`, normalised: defaults applied, durations in milliseconds, quantities in
 * plain units. Produced only by `config/parse-app-spec.ts`; everything downstream reads this shape.
 */
export interface AppSpec {
  runtime: RuntimeKind;
  build: {
    command?: string;
    dockerfile?: string;
    timeoutMs: number;
    /** build.memory: the build is stopped when its processes use more than this together. */
    memoryBytes: number;
    /** build.cache, in file order ([] when absent). */
    cache: BuildCacheSpec[];
  };
  run: { command?: string; port?: number };
  replicas: number;
  strategy: {
    type: StrategyType;
    scaleDownDelayMs: number;
    /**
     * How long after the cut-over the new release is watched (crash, readiness, 5xx rate) and rolled
     * back by itself on trouble; 0: during scaleDownDelay only (blue-green). A watch longer than the
     * warm period goes on after the previous release stopped, and rolls back by starting it again.
     */
    watchMs: number;
    /** How long a new release may take to become ready before it is declared Failed. */
    progressDeadlineMs: number;
    maxSurge: number;
    maxUnavailable: number;
  };
  probes: { startup?: Probe; readiness?: Probe; liveness?: Probe };
  drain: { timeoutMs: number };
  terminationGracePeriodMs: number;
  resources: { cpuMillis?: number; memoryBytes?: number };
  autoscale?: {
    min: number;
    max: number;
    targetCPUUtilization: number;
    /** Average memory use per instance as a % of resources.memory (optional second metric). */
    targetMemoryUtilization?: number;
    /** Average requests per second per instance (optional third metric). */
    targetRequestsPerSecond?: number;
    /** Scale-down acts on the highest recommendation of this window (default 300 s, as the HPA). */
    scaleDownStabilizationMs: number;
  };
  env: Record<string, string>;
  secrets: string[];
  volumes: { name: string; mountPath: string }[];
  route?: { port?: number; host?: string };
  gitops?: { kustomization: string; image: string };
  /** Where the app's deploy and health notifications go ([] when absent). */
  notify: NotifySpec[];
}
