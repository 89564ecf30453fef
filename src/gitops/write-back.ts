import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type BackoffPolicy } from '../core/backoff.js';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { Mutex } from '../core/mutex.js';
import { displayUrl, normaliseRepoUrl } from '../source/repo-url.js';
import { commitFile, pushHead } from './commit-push.js';
import { gitAuth, type GitCredentials } from './git-credentials.js';
import { editKustomization } from './kustomization-file.js';
import { WANDOL_BOT, writeBackMessage, type BotIdentity } from './loop-guard.js';
import { checkInputs } from './check-inputs.js';
import { syncWorkClone, type RemoteOptions } from './work-clone.js';

/** What to write where. */
export interface WriteBackOptions {
  /** The app's repository: https://, ssh://, git@host:path, file:// or a local path. */
  repoUrl: string;
  branch: string;
  /** The kustomization file, relative to the repository root (AppSpec.gitops.kustomization). */
  kustomization: string;
  /** The image name as in the manifests, without tag (AppSpec.gitops.image). */
  image: string;
  tag: string;
  /** A folder wandol owns for this app's write-back clone; created on first use, reused after. */
  workDir: string;
  credentials?: GitCredentials;
  /** Pushes tried before giving up with CONFLICT; default 4. */
  maxAttempts?: number;
  logger: Logger;
  signal?: AbortSignal;
  /** The commit that was built: named in the body of the write-back commit. */
  revision?: string;
  /** Author and committer of write-back commits; default WANDOL_BOT. */
  bot?: BotIdentity;
  /** Longest one fetch or push may take; default 2 minutes. */
  timeoutMs?: number;
  /** Called after the commit, before each push (tests use it to move the remote meanwhile). */
  beforePush?: (attempt: number) => Promise<void> | void;
}

/** The pushed commit (null when the file already had the tag: no empty commit) and the attempts made. */
export interface WriteBackResult {
  commit: string | null;
  attempts: number;
}

const RETRY: BackoffPolicy = { initialMs: 100, factor: 2, maxMs: 2_000, jitter: 0.5 };
/** One write-back at a time per clone folder (two would trample each other's checkout). */
const clones = new Map<string, Mutex>();

/**
 * Writes `image:tag` into the kustomization on `branch` and pushes it, as a commit of the bot that
 * touches only that file, with the message `deploy: <image>:<tag> [skip ci]`. When the push is
 * refused because the branch moved, the edit is redone on the new tip and pushed again, up to
 * maxAttempts. Idempotent; calls on one workDir run one at a time, in call order. `credentials`
 * never reach argv, the clone's config or logs. Throws CONFLICT (the branch kept moving),
 * INVALID_CONFIG (bad path or kustomization), USAGE (bad branch, tag or credentials),
 * SOURCE_UNREACHABLE, REVISION_NOT_FOUND (no such branch), TIMEOUT, CANCELLED.
 */
export function writeBack(opts: WriteBackOptions): Promise<WriteBackResult> {
  // Taken before anything awaits, so that calls on one clone run in call order: the last tag wins.
  const key = resolve(opts.workDir);
  const lock = clones.get(key) ?? new Mutex();
  clones.set(key, lock);
  return lock.run(() => writeBackNow(opts));
}

async function writeBackNow(opts: WriteBackOptions): Promise<WriteBackResult> {
  const path = await checkInputs(opts);
  const url = normaliseRepoUrl(opts.repoUrl);
  const auth = await gitAuth(url, opts.credentials);
  const remote: RemoteOptions = { env: auth.env, timeoutMs: opts.timeoutMs ?? 120_000 };
  if (opts.signal) remote.signal = opts.signal;
  try {
    return await pushWithRetries({ ...opts, kustomization: path }, url, remote);
  } finally {
    await auth.cleanup();
  }
}

/** Attempts until a push lands, nothing changed, or maxAttempts pushes found the branch moved. */
async function pushWithRetries(
  opts: WriteBackOptions,
  url: string,
  remote: RemoteOptions,
): Promise<WriteBackResult> {
  const maxAttempts = opts.maxAttempts ?? 4;
  const fields = {
    url: displayUrl(url),
    branch: opts.branch,
    file: opts.kustomization,
    image: opts.image,
    tag: opts.tag,
  };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const commit = await attemptOnce(opts, url, remote, attempt);
    if (commit !== 'moved') {
      opts.logger.info(commit === null ? 'GitOps write-back unchanged' : 'GitOps write-back pushed', {
        ...fields,
        commit,
        attempts: attempt,
      });
      return { commit, attempts: attempt };
    }
    opts.logger.warn('GitOps write-back refused: the branch moved, retrying', { ...fields, attempt });
    if (attempt < maxAttempts) await pause(backoffDelay(RETRY, attempt - 1), opts.signal);
  }
  throw new WandolError(
    'CONFLICT',
    `write-back to ${displayUrl(url)} failed after ${maxAttempts} attempts: the branch ${opts.branch} keeps moving; ` +
      `${opts.image}:${opts.tag} was not written. The next build writes its own tag; if this persists, pause the other writers to ${opts.branch}`,
  );
}

/** Fetch, reset to the remote tip, edit, commit, push: the sha pushed, null if unchanged, or 'moved'. */
async function attemptOnce(
  opts: WriteBackOptions,
  url: string,
  remote: RemoteOptions,
  attempt: number,
): Promise<string | null | 'moved'> {
  const { workDir, branch, kustomization } = opts;
  await syncWorkClone(workDir, url, branch, remote);
  if (!(await editKustomization(workDir, kustomization, opts.image, opts.tag))) return null;
  const subject = writeBackMessage(opts.image, opts.tag);
  const message =
    opts.revision === undefined ? subject : `${subject}\n\nBuilt by wandol from ${opts.revision}.`;
  const sha = await commitFile(workDir, kustomization, message, opts.bot ?? WANDOL_BOT);
  await opts.beforePush?.(attempt);
  return (await pushHead(workDir, url, branch, remote)) === 'pushed' ? sha : 'moved';
}

/** Waits `ms`; an abort ends the wait with CANCELLED. */
async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (err) {
    throw new WandolError('CANCELLED', 'write-back cancelled', { cause: err });
  }
}
