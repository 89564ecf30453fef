import type { DataLayout } from '../core/data-layout.js';
import type { Logger } from '../core/logger.js';
import { prepareRelease } from '../build/prepare-release.js';
import { GitMirror } from '../source/git-mirror.js';
import { buildableHead } from './gitops-adapter.js';
import type { AppRow } from '../store/app-store.js';
import type { BuildPort, SourcePort } from '../sync/ports.js';

/** One git mirror per app, kept for the agent's lifetime (re-made when the repo URL changes). */
export function sourcePorts(
  layout: DataLayout,
  logger: Logger,
): (app: AppRow) => SourcePort & { mirror: GitMirror } {
  const mirrors = new Map<string, { repo: string; port: SourcePort & { mirror: GitMirror } }>();
  return (app) => {
    const known = mirrors.get(app.name);
    if (known && known.repo === app.repo) return known.port;
    const mirror = new GitMirror(layout.mirror(app.name), app.repo, logger.child({ app: app.name }));
    const port = {
      mirror,
      sync: () => mirror.sync(),
      resolveBranch: (branch: string) => mirror.resolveBranch(branch),
      resolveRevision: (rev: string) => mirror.resolveRevision(rev),
      commitInfo: (sha: string) => mirror.commitInfo(sha),
      readFile: (sha: string, path: string) => mirror.readFile(sha, path),
      isAncestor: (a: string, b: string) => mirror.isAncestor(a, b),
      buildableHead: (sha: string, kustomization: string | undefined) =>
        buildableHead(mirror, sha, kustomization),
    };
    mirrors.set(app.name, { repo: app.repo, port });
    return port;
  };
}

/** The build port of the process runtime: a release folder per commit, built in place. */
export function processBuilder(
  layout: DataLayout,
  sources: ReturnType<typeof sourcePorts>,
  logger: Logger,
): BuildPort {
  return {
    build: ({ app, sha, spec, signal }) =>
      prepareRelease({
        mirror: sources(app).mirror,
        sha,
        releaseDir: layout.releaseDir(app.name, sha),
        appPath: app.path,
        buildCommand: spec.build.command,
        env: spec.env,
        logFile: layout.buildLog(app.name, sha),
        timeoutMs: spec.build.timeoutMs,
        signal,
        logger: logger.child({ app: app.name }),
        app: app.name,
        cache: spec.build.cache,
        memoryBytes: spec.build.memoryBytes,
        cacheDir: layout.buildCache(app.name),
      }),
  };
}
