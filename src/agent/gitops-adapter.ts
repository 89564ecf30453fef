import { join } from 'node:path';
import type { DataLayout } from '../core/data-layout.js';
import type { Logger } from '../core/logger.js';
import { readChangedPaths } from '../gitops/changed-paths.js';
import { isWriteBackCommit } from '../gitops/loop-guard.js';
import { imageTag } from '../gitops/tag-format.js';
import { writeBack } from '../gitops/write-back.js';
import type { GitMirror } from '../source/git-mirror.js';
import type { SecretStore } from '../store/secret-store.js';
import type { GitOpsPort } from '../sync/ports.js';

/** Secrets that hold the credentials of the write-back push. */
export const GIT_TOKEN = 'GIT_TOKEN';
export const GIT_SSH_KEY = 'GIT_SSH_KEY';

/** How far back past write-back commits the loop guard looks for the commit to deploy. */
const MAX_WRITE_BACKS = 50;

/** The GitOps port: writes `gitops.image:<sha7>` into the kustomization, committed as the bot. */
export function gitopsPort(layout: DataLayout, secrets: SecretStore, logger: Logger): GitOpsPort {
  return {
    async writeBack({ app, spec, sha, signal }) {
      const gitops = spec.gitops!;
      const tag = imageTag('sha7', { sha, branch: app.branch, time: new Date() });
      const values = secrets.values(app.name);
      const result = await writeBack({
        repoUrl: app.repo,
        branch: app.branch,
        kustomization: join(app.path, gitops.kustomization),
        image: gitops.image,
        tag,
        workDir: join(layout.appDir(app.name), 'gitops'),
        credentials: { httpsToken: values[GIT_TOKEN], sshKey: values[GIT_SSH_KEY] },
        logger: logger.child({ app: app.name }),
        signal,
        revision: sha,
      });
      return { commit: result.commit, tag };
    },
  };
}

/**
 * The loop guard: walks back from `sha` over the bot's own write-back commits (and commits that
 * only touch the kustomization), so they never start a build or a release.
 */
export async function buildableHead(
  mirror: GitMirror,
  sha: string,
  kustomization: string | undefined,
): Promise<string> {
  if (!kustomization) return sha;
  let current = sha;
  for (let i = 0; i < MAX_WRITE_BACKS; i++) {
    const info = await mirror.commitInfo(current);
    const paths = await readChangedPaths(mirror.dir, current);
    const parent = info.parents[0];
    if (!parent || !isWriteBackCommit(info, paths, kustomization)) return current;
    current = parent;
  }
  return current;
}
