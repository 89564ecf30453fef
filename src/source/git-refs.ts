import { WandolError } from '../core/errors.js';
import { execGit, gitFailed, gitReason, runGit } from './run-git.js';

const HEX = /^[0-9a-f]{4,64}$/i;
/** What `resolveRevision` accepts: no options (`-x`), no spaces, no `rev:path` blob syntax. */
const REVISION = /^[^-\s:\\][^\s:\\]*$/;
const SHOWN_BRANCHES = 10;

/** The branch names of the repository at `gitDir`, sorted. */
export async function listBranches(gitDir: string): Promise<string[]> {
  const out = await runGit(['for-each-ref', '--format=%(refname:lstrip=2)', 'refs/heads/'], { gitDir });
  return out
    .split('\n')
    .filter((b) => b !== '')
    .sort();
}

/** The full sha of branch `branch`. Throws REVISION_NOT_FOUND naming the branches that exist. */
export async function resolveBranch(gitDir: string, branch: string, where: string): Promise<string> {
  if (branch !== '' && !branch.startsWith('-')) {
    const out = await execGit(['show-ref', '--verify', '--hash', `refs/heads/${branch}`], { gitDir });
    const sha = out.stdout.toString('utf8').trim();
    if (out.code === 0 && sha !== '') return sha;
  }
  const branches = await listBranches(gitDir);
  const shown = branches.slice(0, SHOWN_BRANCHES).join(', ') || 'none';
  const more = branches.length > SHOWN_BRANCHES ? ` and ${branches.length - SHOWN_BRANCHES} more` : '';
  throw new WandolError(
    'REVISION_NOT_FOUND',
    `branch ${JSON.stringify(branch)} not found in ${where} (branches: ${shown}${more}); push it or change the app's branch`,
  );
}

/**
 * The full sha of the commit a revision names: a full or unique short sha, a tag, a branch, or an
 * expression such as `main~1`. Throws REVISION_NOT_FOUND otherwise.
 */
export async function resolveRevision(gitDir: string, rev: string, where: string): Promise<string> {
  if (REVISION.test(rev)) {
    const out = await execGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
      gitDir,
    });
    const sha = out.stdout.toString('utf8').trim();
    if (out.code === 0 && sha !== '') return sha;
  }
  throw new WandolError(
    'REVISION_NOT_FOUND',
    `revision ${JSON.stringify(rev)} not found in ${where}: give a commit sha (a short one must be unique), a tag or a branch`,
  );
}

/** Refuses anything but a hex commit id with REVISION_NOT_FOUND (so it can never read as an option). */
export function assertSha(sha: string): string {
  if (!HEX.test(sha))
    throw new WandolError('REVISION_NOT_FOUND', `${JSON.stringify(sha)} is not a commit sha`);
  return sha;
}

/** Whether commit `a` is `b` or an ancestor of it. Throws REVISION_NOT_FOUND for an unknown commit. */
export async function isAncestor(gitDir: string, a: string, b: string): Promise<boolean> {
  const args = ['merge-base', '--is-ancestor', assertSha(a), assertSha(b)];
  const out = await execGit(args, { gitDir });
  if (out.code === 0) return true;
  if (out.code === 1) return false;
  if (/not a valid|bad object|unknown revision/i.test(out.stderr)) {
    throw new WandolError('REVISION_NOT_FOUND', `cannot compare ${a} and ${b}: ${gitReason(out.stderr)}`);
  }
  throw gitFailed(args, out);
}
