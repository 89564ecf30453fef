import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WandolError, hasCode } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import { displayUrl } from '../source/repo-url.js';
import { execGit, gitReason, runGit } from '../source/run-git.js';

/** How git runs against the remote: credentials as environment, a deadline, cancellation. */
export interface RemoteOptions {
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The remote-tracking ref that the clone keeps for `branch`. */
export const trackingRef = (branch: string): string => `refs/remotes/origin/${branch}`;

/** Throws USAGE unless `branch` is a valid branch name (so it can never be read as an option). */
export async function assertBranchName(branch: string): Promise<void> {
  const out = await execGit(['check-ref-format', `refs/heads/${branch}`]);
  if (out.code !== 0 || branch.startsWith('-')) {
    throw new WandolError('USAGE', `${JSON.stringify(branch)} is not a valid branch name`);
  }
}

/**
 * Brings wandol's working clone in `workDir` to the remote tip of `branch`: created on first use
 * (in a temporary folder renamed into place, so a failed first fetch leaves nothing), otherwise
 * re-pointed at `url` if it moved; then fetch, check out the tip (detached and forced, like
 * `reset --hard`) and remove stray files. Idempotent. Returns the tip's sha. Throws
 * SOURCE_UNREACHABLE (URL redacted, git's reason), REVISION_NOT_FOUND when the branch does not
 * exist, TIMEOUT, CANCELLED.
 */
export async function syncWorkClone(
  workDir: string,
  url: string,
  branch: string,
  opts: RemoteOptions,
): Promise<string> {
  if (!existsSync(join(workDir, '.git', 'HEAD'))) await createClone(workDir, url, branch, opts);
  else {
    await runGit(['remote', 'set-url', 'origin', url], { cwd: workDir });
    await fetchBranch(workDir, url, branch, opts);
  }
  await runGit(['checkout', '--quiet', '--force', '--detach', trackingRef(branch)], { cwd: workDir });
  await runGit(['clean', '-ffdxq'], { cwd: workDir });
  return (await runGit(['rev-parse', 'HEAD'], { cwd: workDir })).trim();
}

async function createClone(workDir: string, url: string, branch: string, opts: RemoteOptions): Promise<void> {
  await rm(workDir, { recursive: true, force: true }); // a folder without .git is a wreck: start over
  await mkdir(dirname(workDir), { recursive: true });
  const tmp = `${workDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await runGit(['init', '--quiet', tmp]);
    await runGit(['remote', 'add', 'origin', url], { cwd: tmp });
    await fetchBranch(tmp, url, branch, opts);
    await rename(tmp, workDir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Fetches only `branch` (forced: the remote may have been rewritten) into its tracking ref. */
async function fetchBranch(cwd: string, url: string, branch: string, opts: RemoteOptions): Promise<void> {
  const refspec = `+refs/heads/${branch}:${trackingRef(branch)}`;
  try {
    const out = await execGit(['fetch', '--quiet', '--no-tags', 'origin', refspec], { cwd, ...opts });
    if (out.code === 0) return;
    if (/couldn't find remote ref/i.test(out.stderr)) {
      throw new WandolError(
        'REVISION_NOT_FOUND',
        `branch ${branch} does not exist on ${displayUrl(url)}: push it first or set the app's branch`,
      );
    }
    throw unreachable('fetch', url, gitReason(out.stderr));
  } catch (err) {
    if (hasCode(err, 'TIMEOUT'))
      throw unreachable('fetch', url, `no answer within ${formatDuration(opts.timeoutMs)}`, err);
    throw err;
  }
}

/** SOURCE_UNREACHABLE for a fetch or push to `url` (redacted), with git's reason. */
export function unreachable(
  what: 'fetch' | 'push',
  url: string,
  reason: string,
  cause?: unknown,
): WandolError {
  const hint =
    what === 'push'
      ? 'Check the URL, that the credentials may push to the branch and that it is not protected'
      : 'Check the URL and the credentials';
  return new WandolError('SOURCE_UNREACHABLE', `cannot ${what} ${displayUrl(url)}: ${reason}. ${hint}.`, {
    cause,
  });
}
