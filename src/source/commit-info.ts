import { WandolError } from '../core/errors.js';
import { assertSha } from './git-refs.js';
import { execGit } from './run-git.js';

/** What the history shows of a commit. */
export interface CommitInfo {
  /** Full sha. */
  sha: string;
  /** Author name. */
  author: string;
  authorEmail: string;
  /** The subject line of the message. */
  message: string;
  /** Committer date, ISO 8601 in UTC. */
  committedAt: string;
  /** Parent shas (none for a root commit, two or more for a merge). */
  parents: string[];
}

const FORMAT = '%H%x00%an%x00%ae%x00%cI%x00%P%x00%s';

/** Reads a commit's metadata. Throws REVISION_NOT_FOUND when there is no such commit. */
export async function readCommitInfo(gitDir: string, sha: string): Promise<CommitInfo> {
  const rev = `${assertSha(sha)}^{commit}`;
  const out = await execGit(['show', '-s', '--no-notes', '--no-show-signature', `--format=${FORMAT}`, rev], {
    gitDir,
  });
  const [full, author, authorEmail, date, parents, subject] = out.stdout
    .toString('utf8')
    .replace(/\n$/, '')
    .split('\0');
  if (out.code !== 0 || full === undefined || subject === undefined) {
    throw new WandolError(
      'REVISION_NOT_FOUND',
      `commit ${sha} not found: sync the mirror or give another revision`,
    );
  }
  return {
    sha: full,
    author: author ?? '',
    authorEmail: authorEmail ?? '',
    message: subject,
    committedAt: new Date(date ?? 0).toISOString(),
    parents: (parents ?? '').split(' ').filter((p) => p !== ''),
  };
}
