import { posix } from 'node:path';

/** Who wandol's write-back commits are from (author and committer). */
export interface BotIdentity {
  name: string;
  email: string;
}

/** The default bot identity; `.invalid` so that no mail can ever be sent to it. */
export const WANDOL_BOT: BotIdentity = {
  name: 'wandol-bot',
  email: 'wandol-bot@users.noreply.wandol.invalid',
};

/** The marker that CI systems (GitHub Actions, GitLab CI, Drone…) and wandol skip commits on. */
export const SKIP_CI = '[skip ci]';

/** The message of a write-back commit: `deploy: <image>:<tag> [skip ci]`. Pure. */
export function writeBackMessage(image: string, tag: string): string {
  return `deploy: ${image}:${tag} ${SKIP_CI}`;
}

/** What the guard needs to know of a commit (CommitInfo of src/source has these fields). */
export interface CommitAuthorship {
  authorEmail: string;
  /** The subject line (or the whole message). */
  message: string;
}

/**
 * Whether a commit is a GitOps write-back that wandol must neither build nor release (else every
 * write-back would trigger a build, whose write-back triggers a build…): true when it is the bot's
 * (author email matches, case-insensitively, AND the message contains `[skip ci]`), or when it
 * changes the kustomization file and nothing else (`changedPaths` relative to the repository
 * root, as `git diff-tree --name-only` prints them). An empty commit is not a write-back. Pure.
 */
export function isWriteBackCommit(
  info: CommitAuthorship,
  changedPaths: readonly string[],
  kustomization: string,
  bot: BotIdentity = WANDOL_BOT,
): boolean {
  const byBot = info.authorEmail.trim().toLowerCase() === bot.email.toLowerCase();
  if (byBot && info.message.includes(SKIP_CI)) return true;
  const file = repoPath(kustomization);
  return changedPaths.length > 0 && changedPaths.every((path) => repoPath(path) === file);
}

/** `./deploy//kustomization.yaml` → `deploy/kustomization.yaml`, so both sides compare equal. */
function repoPath(path: string): string {
  return posix.normalize(path.trim().replace(/\\/g, '/')).replace(/^\.\//, '');
}
