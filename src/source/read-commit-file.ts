import { posix } from 'node:path';
import { WandolError } from '../core/errors.js';
import { assertSha } from './git-refs.js';
import { execGit, gitFailed } from './run-git.js';

/**
 * The text of file `path` (relative to the repository root) at commit `sha`, or undefined when the
 * commit has no file there (a folder counts as absent). Throws REVISION_NOT_FOUND for an unknown
 * commit and USAGE for a path outside the repository.
 */
export async function readCommitFile(gitDir: string, sha: string, path: string): Promise<string | undefined> {
  const spec = `${assertSha(sha)}:${repoPath(path)}`;
  const args = ['cat-file', '--batch'];
  const out = await execGit(args, { gitDir, input: `${spec}\n` });
  if (out.code !== 0) throw gitFailed(args, out);
  const headerEnd = out.stdout.indexOf(0x0a);
  // `<oid> blob <size>\n<content>\n` when found; `<spec> missing` or `<oid> tree <size>` otherwise.
  const size = /^[0-9a-f]+ blob (\d+)$/.exec(out.stdout.subarray(0, headerEnd).toString('utf8'))?.[1];
  if (size !== undefined)
    return out.stdout.subarray(headerEnd + 1, headerEnd + 1 + Number(size)).toString('utf8');
  const exists = await execGit(['cat-file', '-e', `${sha}^{commit}`], { gitDir });
  if (exists.code !== 0)
    throw new WandolError('REVISION_NOT_FOUND', `commit ${sha} not found: sync the mirror first`);
  return undefined;
}

/** `./a//b` → `a/b`; refuses absolute paths, `..` and line breaks (they would end the batch line). */
function repoPath(path: string): string {
  const norm = posix.normalize(path).replace(/^\.\//, '');
  if (
    posix.isAbsolute(norm) ||
    norm === '..' ||
    norm.startsWith('../') ||
    norm === '.' ||
    /[\n\r\0]/.test(path)
  ) {
    throw new WandolError('USAGE', `${JSON.stringify(path)} is not a file path inside the repository`);
  }
  return norm;
}
