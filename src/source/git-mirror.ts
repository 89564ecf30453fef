import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { checkoutTree } from './checkout-tree.js';
import { readCommitInfo, type CommitInfo } from './commit-info.js';
import * as refs from './git-refs.js';
import { syncMirror } from './mirror-sync.js';
import { readCommitFile } from './read-commit-file.js';
import { displayUrl, normaliseRepoUrl } from './repo-url.js';

/** Tuning of a GitMirror. */
export interface GitMirrorOptions {
  /** Longest a sync (clone or fetch) may take; default 2 minutes. */
  syncTimeoutMs?: number;
  /** Longest a checkout may take; default 5 minutes. */
  checkoutTimeoutMs?: number;
}

/**
 * The local bare mirror of one app's repository (at DataLayout.mirror(app)): branches and tags of
 * `url` (a local path, file://, https:// or ssh address). Syncs of one instance run one at a time;
 * reads may run alongside. Every method but sync needs the mirror to exist (INTERNAL otherwise).
 */
export class GitMirror {
  private readonly url: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    url: string,
    private readonly logger: Logger,
    private readonly options: GitMirrorOptions = {},
  ) {
    this.url = normaliseRepoUrl(url);
  }

  /** The repository address with credentials replaced by `***`. */
  get displayUrl(): string {
    return displayUrl(this.url);
  }

  /** Clones (first use) or fetches with prune. Throws SOURCE_UNREACHABLE, CANCELLED. */
  sync(signal?: AbortSignal): Promise<void> {
    const run = async (): Promise<void> => {
      const started = Date.now();
      const timeoutMs = this.options.syncTimeoutMs ?? 120_000;
      const how = await syncMirror(this.dir, this.url, { timeoutMs, ...(signal ? { signal } : {}) });
      this.logger.debug('Mirror synced', { url: this.displayUrl, how, ms: Date.now() - started });
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The branch names, sorted. */
  async branches(): Promise<string[]> {
    return refs.listBranches(this.gitDir());
  }

  /** The full sha at the tip of `branch`. Throws REVISION_NOT_FOUND (listing the branches). */
  async resolveBranch(branch: string): Promise<string> {
    return refs.resolveBranch(this.gitDir(), branch, this.displayUrl);
  }

  /** Full or short sha, tag or branch → full commit sha. Throws REVISION_NOT_FOUND. */
  async resolveRevision(rev: string): Promise<string> {
    return refs.resolveRevision(this.gitDir(), rev, this.displayUrl);
  }

  /** Author, subject, date and parents of a commit. Throws REVISION_NOT_FOUND. */
  async commitInfo(sha: string): Promise<CommitInfo> {
    return readCommitInfo(this.gitDir(), sha);
  }

  /** A file's text at a commit, or undefined when absent. Throws REVISION_NOT_FOUND, USAGE (bad path). */
  async readFile(sha: string, path: string): Promise<string | undefined> {
    return readCommitFile(this.gitDir(), sha, path);
  }

  /** Whether `a` is `b` or an ancestor of it. Throws REVISION_NOT_FOUND. */
  async isAncestor(a: string, b: string): Promise<boolean> {
    return refs.isAncestor(this.gitDir(), a, b);
  }

  /** A clean copy (no .git) of the commit's tree in `dest`, which must not exist. See checkoutTree. */
  async checkout(sha: string, dest: string, signal?: AbortSignal): Promise<void> {
    const timeoutMs = this.options.checkoutTimeoutMs ?? 300_000;
    return checkoutTree(this.gitDir(), sha, dest, { timeoutMs, ...(signal ? { signal } : {}) });
  }

  private gitDir(): string {
    if (!existsSync(join(this.dir, 'HEAD'))) {
      throw new WandolError(
        'INTERNAL',
        `the mirror of ${this.displayUrl} at ${this.dir} does not exist yet: sync it first`,
      );
    }
    return this.dir;
  }
}
