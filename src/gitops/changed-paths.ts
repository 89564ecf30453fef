import { WandolError } from '../core/errors.js';
import { execGit } from '../source/run-git.js';

const SHA = /^[0-9a-f]{7,64}$/i;

/**
 * The paths a commit changes, relative to the repository root, as isWriteBackCommit wants them:
 * against its first parent (so a merge counts what it brought in), against the empty tree for a
 * root commit. `gitDir` is a repository holding the commit, such as the app's mirror. Throws
 * REVISION_NOT_FOUND for an unknown commit.
 */
export async function readChangedPaths(gitDir: string, sha: string): Promise<string[]> {
  if (!SHA.test(sha))
    throw new WandolError('REVISION_NOT_FOUND', `${JSON.stringify(sha)} is not a commit sha`);
  const args = [
    'diff-tree',
    '-r',
    '-z',
    '--no-commit-id',
    '--name-only',
    '--root',
    '-m',
    '--first-parent',
    sha,
  ];
  const out = await execGit(args, { gitDir });
  if (out.code !== 0) {
    throw new WandolError('REVISION_NOT_FOUND', `commit ${sha} not found: sync the mirror first`);
  }
  return [
    ...new Set(
      out.stdout
        .toString('utf8')
        .split('\0')
        .filter((p) => p !== ''),
    ),
  ];
}
