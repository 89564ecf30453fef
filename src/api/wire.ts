import type { HealthStatus, SyncStatus } from '../health/health-status.js';

/** The JSON shapes of the HTTP API, shared by the server, the client and the CLI's `--json`. */

export type ReleaseStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Superseded' | 'RolledBack';
export type Trigger = 'poll' | 'webhook' | 'manual' | 'rollback';

/** The error body of every non-2xx answer. */
export interface ApiErrorBody {
  error: { code: string; message: string; details: string[] };
}

/** `POST /api/v1/apps` body. */
export interface AddAppRequest {
  name: string;
  repo: string;
  branch?: string;
  path?: string;
  /** Poll interval in ms (CLI parses `--poll 10s`). */
  pollMs?: number;
}

/** An app registration as listed by `app ls`. */
export interface AppSummary {
  name: string;
  repo: string;
  branch: string;
  path: string;
  pollMs: number;
  createdAt: string;
}

/** One running (or exited) instance in `status NAME --json`. */
export interface InstanceStatus {
  id: string;
  revision: string;
  releaseId: number;
  slot: string;
  endpoint: string | null;
  ready: boolean;
  phase: string;
  restarts: number;
  lastExit: {
    code: number | null;
    signal: string | null;
    at: string;
    reason?: string;
    logTail?: string[];
  } | null;
  /** Latest resource use (runtimes that measure it). */
  usage?: { cpuSeconds: number; memoryBytes: number } | null;
}

/** `GET /api/v1/apps/:name` and each element of `GET /api/v1/apps?status=1`. */
export interface AppStatus {
  name: string;
  sync: SyncStatus;
  syncReason: string;
  health: HealthStatus;
  healthReason: string;
  /** Full sha of the live release; null before the first successful deploy. */
  revision: string | null;
  /** Newest commit of the branch as last fetched; null before the first fetch. */
  headRevision: string | null;
  liveReleaseId: number | null;
  replicas: { desired: number; ready: number };
  url: string | null;
  instances: InstanceStatus[];
  /** The last source or deploy error, shown until the next success. */
  lastError: { code: string; message: string; details: string[]; at: string } | null;
  repo: string;
  branch: string;
}

/** Traffic figures of a release's cut-over window. */
export interface ReleaseTrafficFigures {
  requests: number;
  failed: number;
  p99Ms: number | null;
  /** open while the window lasts (figures so far), closed once the previous release is gone. */
  window: 'none' | 'open' | 'closed';
}

/** One release record, as `history --json` lists them (newest first). */
export interface ReleaseRecord {
  id: number;
  app: string;
  revision: string;
  message: string | null;
  author: string | null;
  trigger: Trigger;
  status: ReleaseStatus;
  /** The step an InProgress release is at (Queued, Fetching, Building, Starting, Switching, Live). */
  phase: string;
  startedAt: string;
  finishedAt: string | null;
  error: { code: string; message: string; details: string[] } | null;
  /** Milliseconds spent in each phase. */
  timings: Record<string, number>;
  traffic: ReleaseTrafficFigures;
  /** Where the built artifact lives (process runtime: the release folder). */
  artifact: string | null;
  /** This release is the one serving traffic now. */
  live: boolean;
  /** The config it ran with: env, and secrets by hash (never their values). */
  config: { env: Record<string, string>; secrets: Record<string, string> } | null;
}

/** `POST /api/v1/apps/:name/deploy` body and answer. */
export interface DeployRequest {
  rev?: string;
}
export interface DeployResponse {
  release: ReleaseRecord;
}

/** A stored event (the user-facing history of transitions). */
export interface EventRecord {
  id: number;
  app: string | null;
  releaseId: number | null;
  type: string;
  message: string;
  at: string;
  data: Record<string, unknown>;
}

/** `POST /api/v1/apps/:name/rollback` body: `to` is a release id or a revision (default: previous). */
export interface RollbackRequest {
  to?: string;
}

/** `GET /api/v1/apps/:name/secrets`: names only, with when each was last set. */
export interface SecretList {
  secrets: { name: string; updatedAt: string }[];
}

/** A push to a branch, as read from a verified GitHub, GitLab or Gitea webhook. */
export interface PushEvent {
  provider: 'github' | 'gitlab' | 'gitea';
  /** Every URL and name the payload gives for the repository (clone, ssh, html, full name). */
  repository: string[];
  /** The branch name (refs/heads/ stripped). */
  branch: string;
  /** The pushed head commit (full sha); all zeros when the branch was deleted. */
  after: string;
  deleted: boolean;
  pusher: string | null;
}

/** One point of an app's history of figures (rolled up every 10 s, kept in SQLite). */
export interface MetricPoint {
  /** Start of the interval, ms since the epoch. */
  at: number;
  requestsPerSecond: number;
  /** 99th percentile latency over the interval, ms (null: no request). */
  p99Ms: number | null;
  /** 5xx responses per second. */
  errorsPerSecond: number;
  /** CPU use of the live instances, in cores (1 = one core busy). */
  cpuCores: number;
  memoryBytes: number;
  replicasReady: number;
  replicasDesired: number;
}

/** `GET /api/v1/apps/:name/metrics?since=MS` answer, oldest point first. */
export interface MetricSeries {
  app: string;
  intervalMs: number;
  points: MetricPoint[];
}

/** `POST /api/v1/login-codes` answer: a one-time code for `GET /login?code=…` (the dashboard link). */
export interface LoginCode {
  code: string;
  expiresAt: string;
}
