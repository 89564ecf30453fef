import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WandolError, hasCode } from '../core/errors.js';
import { assertSha } from './git-refs.js';
import { runGit } from './run-git.js';

/**
 * Writes a clean copy of the tree of commit `sha` into `dest` (created; it must not exist), with no
 * .git: a temporary index is filled from the commit and checked out into `dest`, so executable bits,
 * symlinks and .gitattributes conversions are as a normal checkout makes them (unlike `git archive`,
 * export-ignore is not applied). On failure `dest` is removed. Throws CONFLICT when `dest` exists,
 * REVISION_NOT_FOUND for an unknown commit, TIMEOUT/CANCELLED.
 */
export async function checkoutTree(
  gitDir: string,
  sha: string,
  dest: string,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  assertSha(sha);
  await mkdir(dirname(dest), { recursive: true });
  await mkdir(dest).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
    throw new WandolError('CONFLICT', `cannot check out into ${dest}: it already exists; remove it first`);
  });
  const indexDir = await mkdtemp(join(tmpdir(), 'wandol-index-'));
  const env = { GIT_INDEX_FILE: join(indexDir, 'index') };
  try {
    await runGit(['read-tree', `${sha}^{tree}`], { gitDir, env, ...opts }).catch((err: unknown) => {
      if (!hasCode(err, 'INTERNAL')) throw err;
      throw new WandolError('REVISION_NOT_FOUND', `commit ${sha} not found: sync the mirror first`, {
        cause: err,
      });
    });
    const args = ['-c', 'core.autocrlf=false', `--work-tree=${dest}`, 'checkout-index', '--all', '--force'];
    await runGit(args, { gitDir, env, ...opts });
  } catch (err) {
    await rm(dest, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(indexDir, { recursive: true, force: true });
  }
}
