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
 * What the HTTP API needs from the agent. The agent implements it; the API server only translates
 * HTTP to these calls and WandolError codes to statuses. Every method throws WandolError
 * (NOT_FOUND for an unknown app or release, INVALID_NAME, CONFLICT for an existing app…).
 */
export interface AgentService {
  listApps(): Promise<AppSummary[]>;
  addApp(req: AddAppRequest): Promise<AppSummary>;
  /** Stops the app's instances, removes its route, its records and its folder. */
  removeApp(name: string): Promise<void>;
  status(name: string): Promise<AppStatus>;
  statuses(): Promise<AppStatus[]>;
  /** Queues a deploy of `rev` (default: the branch head after a fetch); resolves once it is recorded. */
  deploy(name: string, req: DeployRequest): Promise<ReleaseRecord>;
  /** Cancels the app's queued and running deploys; returns the release ids cancelled. */
  cancel(name: string): Promise<{ cancelled: number[] }>;
  /**
   * Puts a previous release back, artifact and config, with no rebuild (default: the release live
   * before the current one). Throws NOT_FOUND when there is none to go back to.
   */
  rollback(name: string, req: RollbackRequest): Promise<ReleaseRecord>;
  /** Sets the desired replicas of the live release. Throws CONFLICT while autoscaling is on. */
  scale(name: string, replicas: number): Promise<AppStatus>;
  /** Stores a secret (encrypted at rest). Takes effect at the next deploy or rollback. */
  setSecret(name: string, key: string, value: string): Promise<void>;
  listSecrets(name: string): Promise<SecretList>;
  /** Removes a secret. Idempotent. */
  removeSecret(name: string, key: string): Promise<void>;
  /** Releases of the app, newest first. */
  releases(name: string): Promise<ReleaseRecord[]>;
  release(name: string, id: number): Promise<ReleaseRecord>;
  /**
   * The log file to read for the app: instance output, or the build log of `release` (default: the
   * newest release) when `build` is set. undefined when there is none yet.
   */
  logFile(name: string, opts: { build: boolean; release?: number }): Promise<string | undefined>;
  /** Newest events first, optionally of one app. */
  events(opts: { app?: string; limit: number }): Promise<EventRecord[]>;
  /** Calls `listener` for every new event until the returned function is called. */
  subscribe(listener: (event: EventRecord) => void): () => void;
  /** Stops the agent; with `dataplane`, also the router and every instance (`wandol down`). */
  shutdown(opts: { dataplane: boolean }): Promise<void>;
}
