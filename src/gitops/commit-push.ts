import { execGit, gitReason, runGit } from '../source/run-git.js';
import type { BotIdentity } from './loop-guard.js';
import { unreachable, type RemoteOptions } from './work-clone.js';

/** No hooks (the agent's global core.hooksPath included) and no signing prompts for bot commits. */
const QUIET_CONFIG = ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgSign=false'];

/**
 * Commits the current content of `path`, and only that file, as `bot` (author and committer, also
 * when the agent's environment sets GIT_AUTHOR_* / GIT_COMMITTER_*). Returns the new commit's sha.
 * Throws INTERNAL with git's reason when git fails.
 */
export async function commitFile(
  cwd: string,
  path: string,
  message: string,
  bot: BotIdentity,
): Promise<string> {
  const identity = ['-c', `user.name=${bot.name}`, '-c', `user.email=${bot.email}`];
  const env = {
    GIT_AUTHOR_NAME: bot.name,
    GIT_AUTHOR_EMAIL: bot.email,
    GIT_COMMITTER_NAME: bot.name,
    GIT_COMMITTER_EMAIL: bot.email,
  };
  // `commit -- <path>` commits that path alone, whatever else the index holds.
  const args = [...identity, ...QUIET_CONFIG, 'commit', '--quiet', '--no-verify', '-m', message, '--', path];
  await runGit(args, { cwd, env });
  return (await runGit(['rev-parse', 'HEAD'], { cwd })).trim();
}

/** A push's outcome: done, or refused because the remote branch moved (fetch and try again). */
export type PushOutcome = 'pushed' | 'moved';

/** Rejections that a fresh fetch and a redone edit resolve (the remote moved, or raced us). */
const MOVED =
  /\[rejected\] \((fetch first|non-fast-forward|stale info)\)|\[remote rejected\] \((failed to update ref|cannot lock ref|incorrect old value)/i;

/**
 * Pushes HEAD to `refs/heads/<branch>` of origin. Returns 'moved' when the remote refused a
 * non-fast-forward (someone pushed meanwhile). Throws SOURCE_UNREACHABLE (URL redacted, git's
 * reason: unreachable, no write access, protected branch…), TIMEOUT, CANCELLED.
 */
export async function pushHead(
  cwd: string,
  url: string,
  branch: string,
  opts: RemoteOptions,
): Promise<PushOutcome> {
  const args = [...QUIET_CONFIG, 'push', '--porcelain', '--no-verify', 'origin', `HEAD:refs/heads/${branch}`];
  const out = await execGit(args, { cwd, ...opts });
  if (out.code === 0) return 'pushed';
  const report = out.stdout.toString('utf8');
  if (MOVED.test(report) || MOVED.test(out.stderr)) return 'moved';
  const refused = /^!\t[^\t]*\t(.*)$/m.exec(report)?.[1];
  throw unreachable('push', url, refused ?? gitReason(out.stderr));
}
