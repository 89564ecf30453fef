import type {
  AddAppRequest,
  AppStatus,
  AppSummary,
  DeployRequest,
  EventRecord,
  ReleaseRecord,
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
