import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WandolError, hasCode } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import { stderrLines } from './git-errors.js';
import { execGit, gitReason, runGit } from './run-git.js';
import { displayUrl } from './repo-url.js';

/** How one sync runs. */
export interface SyncOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Branches and tags only: a full `--mirror` would also copy hosting refs such as refs/pull/*. */
const REFSPECS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];

/**
 * Brings the bare mirror at `dir` up to date with `url`: on first use it is created in a temporary
 * folder and renamed into place (a failed first sync leaves nothing); afterwards `fetch --prune`.
 * Returns which of the two happened. Throws SOURCE_UNREACHABLE (URL redacted, git's reason),
 * CANCELLED on abort.
 */
export async function syncMirror(dir: string, url: string, opts: SyncOptions): Promise<'cloned' | 'fetched'> {
  if (existsSync(join(dir, 'HEAD'))) {
    await setRemote(dir, url);
    await fetchAll(dir, url, opts);
    return 'fetched';
  }
  // A folder without HEAD is the wreck of something else: start over.
  await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await runGit(['init', '--quiet', '--bare', tmp]);
    await setRemote(tmp, url);
    await fetchAll(tmp, url, opts);
    await rename(tmp, dir);
    return 'cloned';
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Points `origin` at `url` (it may have changed since the mirror was made). */
async function setRemote(gitDir: string, url: string): Promise<void> {
  const current = await execGit(['config', '--get', 'remote.origin.url'], { gitDir });
  if (current.code === 0 && current.stdout.toString('utf8').trim() === url) return;
  await runGit(['config', 'remote.origin.url', url], { gitDir });
  await runGit(['config', '--unset-all', 'remote.origin.fetch'], { gitDir }).catch(() => undefined);
  for (const spec of REFSPECS) await runGit(['config', '--add', 'remote.origin.fetch', spec], { gitDir });
}

async function fetchAll(gitDir: string, url: string, opts: SyncOptions): Promise<void> {
  try {
    const out = await execGit(['fetch', '--prune', '--quiet', 'origin'], { gitDir, ...opts });
    if (out.code !== 0) throw unreachable(url, gitReason(out.stderr), undefined, stderrLines(out.stderr));
  } catch (err) {
    if (hasCode(err, 'TIMEOUT'))
      throw unreachable(url, `no answer within ${formatDuration(opts.timeoutMs)}`, err);
    throw err;
  }
}

/** SOURCE_UNREACHABLE with the address (credentials redacted) and git's reason. */
function unreachable(url: string, reason: string, cause?: unknown, details: string[] = []): WandolError {
  return new WandolError(
    'SOURCE_UNREACHABLE',
    `cannot fetch ${displayUrl(url)}: ${reason}. Check the URL and the credentials; wandol retries with backoff.`,
    { cause, details },
  );
}
