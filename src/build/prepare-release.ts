import { appendFile, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { normaliseAppPath } from '../config/app-path.js';
import type { BuildCacheSpec } from '../config/app-spec.js';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { shortSha } from '../core/names.js';
import { readReleaseMarker, writeReleaseMarker } from './release-marker.js';
import { runBuildSteps, type CacheOutcome } from './build-steps.js';
import { defined } from '../core/defined.js';

/** What prepareRelease needs of the source: a clean copy of a commit (GitMirror fits). */
export interface CommitCheckout {
  checkout(sha: string, dest: string, signal?: AbortSignal): Promise<void>;
}

/** Inputs of one release folder (process runtime). */
export interface PrepareReleaseOptions {
  mirror: CommitCheckout;
  /** Full commit sha. */
  sha: string;
  /** DataLayout.releaseDir(app, sha). */
  releaseDir: string;
  /** The app's folder in the repository (`.` or `services/api`). */
  appPath: string;
  buildCommand?: string;
  env?: Record<string, string>;
  /** DataLayout.buildLog(app, sha). */
  logFile: string;
  /** build.timeout: the budget of the cache commands and the build command together. */
  timeoutMs: number;
  /** build.memory: a command whose processes use more is killed (BUILD_FAILED). */
  memoryBytes?: number;
  /** build.cache (default none). */
  cache?: readonly BuildCacheSpec[];
  /** The app's build cache folder (e.g. `<data>/apps/<app>/cache`); without it nothing is cached. */
  cacheDir?: string;
  signal?: AbortSignal;
  logger: Logger;
  /** The app's name, for hints in messages. */
  app?: string;
}

/** A ready release folder. */
export interface PreparedRelease {
  dir: string;
  /** Where the app runs and was built: `<dir>/<appPath>`. */
  workdir: string;
  /** True when a complete folder from an earlier call was kept as is. */
  reused: boolean;
  /** Time of the cache steps and commands together (0 when reused or nothing to build). */
  buildMs: number;
  /** What became of each build.cache entry ([] when reused). */
  cache?: CacheOutcome[];
}

/**
 * Makes the immutable release folder of a commit: reuses it when its marker says it is complete;
 * otherwise clears any half-made folder, checks out the commit, runs the build in place in the app
 * folder (tools such as venvs record absolute paths), with the build cache's folders restored or
 * saved around it (build-steps.ts), and writes the marker last. Not safe to call
 * twice at once for the same folder (the build queue serialises per app). Throws USAGE (appPath
 * leaves the repository), INVALID_CONFIG (no such folder in the commit), REVISION_NOT_FOUND,
 * BUILD_FAILED, TIMEOUT, CANCELLED; a failed build leaves no marker.
 */
export async function prepareRelease(opts: PrepareReleaseOptions): Promise<PreparedRelease> {
  const workdir = workdirOf(opts.releaseDir, opts.appPath);
  const log = opts.logger.child({ sha: opts.sha, dir: opts.releaseDir });
  const marker = await readReleaseMarker(opts.releaseDir, opts.sha);
  if (marker) {
    log.info('Release reused', { buildMs: marker.buildMs });
    return { dir: opts.releaseDir, workdir, reused: true, buildMs: marker.buildMs, cache: [] };
  }
  await rm(opts.releaseDir, { recursive: true, force: true });
  log.info('Checking out release');
  await opts.mirror.checkout(opts.sha, opts.releaseDir, opts.signal);
  await assertFolder(workdir, opts);
  const { buildMs, cache } = await build(opts, workdir, log);
  await writeReleaseMarker(opts.releaseDir, {
    sha: opts.sha,
    builtAt: new Date().toISOString(),
    buildMs,
    command: opts.buildCommand ?? null,
  });
  log.info('Release ready', { buildMs });
  return { dir: opts.releaseDir, workdir, reused: false, buildMs, cache };
}

async function build(
  opts: PrepareReleaseOptions,
  workdir: string,
  log: Logger,
): Promise<{ buildMs: number; cache: CacheOutcome[] }> {
  const buildCommand = opts.buildCommand?.trim() ? opts.buildCommand : undefined;
  if (buildCommand === undefined && !opts.cache?.length) {
    await mkdir(dirname(opts.logFile), { recursive: true });
    await appendFile(
      opts.logFile,
      `# ${shortSha(opts.sha)}: no build.command in wandol.yaml, nothing to build\n`,
    );
    return { buildMs: 0, cache: [] };
  }
  log.info('Building release', { command: buildCommand, cacheEntries: opts.cache?.length ?? 0 });
  const { durationMs, cache } = await runBuildSteps({
    workdir,
    cache: opts.cache ?? [],
    logFile: opts.logFile,
    timeoutMs: opts.timeoutMs,
    logger: log,
    ...defined({
      buildCommand,
      cacheDir: opts.cacheDir,
      env: opts.env,
      memoryBytes: opts.memoryBytes,
      signal: opts.signal,
      app: opts.app,
    }),
  });
  return { buildMs: durationMs, cache };
}

/** `<releaseDir>/<appPath>`, refusing anything that would leave the release folder (USAGE). */
function workdirOf(releaseDir: string, appPath: string): string {
  const workdir = join(releaseDir, normaliseAppPath(appPath));
  const rel = relative(releaseDir, workdir);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new WandolError('USAGE', `app path ${JSON.stringify(appPath)} leaves the release folder`);
  }
  return workdir;
}

async function assertFolder(workdir: string, opts: PrepareReleaseOptions): Promise<void> {
  const info = await stat(workdir).catch(() => undefined);
  if (info?.isDirectory()) return;
  throw new WandolError(
    'INVALID_CONFIG',
    `the app path ${JSON.stringify(opts.appPath)} is not a folder in commit ${shortSha(opts.sha)}; fix the app's --path or the repository`,
  );
}
