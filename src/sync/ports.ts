import type { EventRecord } from '../api/wire.js';
import type { AppSpec, RuntimeKind } from '../config/app-spec.js';
import type { DataLayout } from '../core/data-layout.js';
import type { Logger } from '../core/logger.js';
import type { Semaphore } from '../core/semaphore.js';
import type { RouterControl } from '../router/route.js';
import type { Runtime } from '../runtimes/runtime.js';
import type { AppRow, AppStore } from '../store/app-store.js';
import type { ReleaseStore } from '../store/release-store.js';

/** The git side of one app, as the sync loop needs it (adapted from source/ by the agent). */
export interface SourcePort {
  /** Fetches the remote. Throws SOURCE_UNREACHABLE. */
  sync(): Promise<void>;
  resolveBranch(branch: string): Promise<string>;
  /** A full sha for a sha prefix, tag or branch. Throws REVISION_NOT_FOUND. */
  resolveRevision(rev: string): Promise<string>;
  commitInfo(sha: string): Promise<{ sha: string; author: string; message: string }>;
  /** The file's content at the commit, or undefined when absent. */
  readFile(sha: string, path: string): Promise<string | undefined>;
  /** Whether `ancestor` is an ancestor of (or equal to) `descendant`. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /**
   * The newest commit at or before `sha` (following first parents) that is not a GitOps
   * write-back commit for `kustomization` — what the branch asks to deploy.
   */
  buildableHead(sha: string, kustomization: string | undefined): Promise<string>;
}

/** GitOps write-back of a built commit's image tag (see gitops/write-back.ts). */
export interface GitOpsPort {
  /** Writes the tag and pushes; resolves with the pushed commit (null: already at that tag). */
  writeBack(opts: {
    app: AppRow;
    spec: AppSpec;
    sha: string;
    signal: AbortSignal;
  }): Promise<{ commit: string | null; tag: string }>;
}

/** What building a release yields. */
export interface BuiltRelease {
  /** The immutable release folder. */
  dir: string;
  /** Where the app runs: the app's path inside the release folder. */
  workdir: string;
  reused: boolean;
  buildMs: number;
  /** Container runtimes: the image built (`<app>:<sha7>`) and its id. */
  image?: string;
  imageId?: string;
}

/** Builds the artifact of a commit for the spec's runtime. Throws BUILD_FAILED, TIMEOUT, CANCELLED. */
export interface BuildPort {
  build(opts: { app: AppRow; sha: string; spec: AppSpec; signal: AbortSignal }): Promise<BuiltRelease>;
}

/** Everything an app controller is given by the agent. */
export interface SyncDeps {
  layout: DataLayout;
  apps: AppStore;
  releases: ReleaseStore;
  /** The runtime for a kind; throws a WandolError when that runtime is not available here. */
  runtimeFor(kind: RuntimeKind): Runtime;
  router: RouterControl;
  sourceFor(app: AppRow): SourcePort;
  builder: BuildPort;
  gitops: GitOpsPort;
  /** Secret values of an app (decrypted; injected as env), and their hashes for release records. */
  secrets: { values(app: string): Record<string, string>; hashes(app: string): Record<string, string> };
  /** Bounds how many builds run at once across all apps (small machines: 1). */
  buildSlots: Semaphore;
  /** Parses and validates a wandol.yaml. Throws INVALID_CONFIG with every bad key in details. */
  parseSpec(text: string, file: string): AppSpec;
  /** Stores and publishes a user-facing event. */
  record(event: Omit<EventRecord, 'id' | 'at'>): void;
  logger: Logger;
  /** Host the router's dedicated listeners bind (for the app URL). */
  listenHost: string;
  httpPort: number;
  /** How often autoscalers evaluate (Kubernetes' HPA: 15 s). */
  autoscaleIntervalMs?: number;
  /** How often live instances are checked against the desired state. */
  reconcileIntervalMs: number;
}
