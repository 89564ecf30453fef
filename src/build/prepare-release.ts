import { appendFile, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { normaliseAppPath } from '../config/app-path.js';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { shortSha } from '../core/names.js';
import { readReleaseMarker, writeReleaseMarker } from './release-marker.js';
import { runBuildCommand } from './run-build-command.js';

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
  timeoutMs: number;
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
  buildMs: number;
}

/**
 * Makes the immutable release folder of a commit: reuses it when its marker says it is complete;
 * otherwise clears any half-made folder, checks out the commit, runs the build in place in the app
 * folder (tools such as venvs record absolute paths) and writes the marker last. Not safe to call
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
    return { dir: opts.releaseDir, workdir, reused: true, buildMs: marker.buildMs };
  }
  await rm(opts.releaseDir, { recursive: true, force: true });
  log.info('Checking out release');
  await opts.mirror.checkout(opts.sha, opts.releaseDir, opts.signal);
  await assertFolder(workdir, opts);
  const buildMs = await build(opts, workdir, log);
  await writeReleaseMarker(opts.releaseDir, {
    sha: opts.sha,
    builtAt: new Date().toISOString(),
    buildMs,
    command: opts.buildCommand ?? null,
  });
  log.info('Release ready', { buildMs });
  return { dir: opts.releaseDir, workdir, reused: false, buildMs };
}

async function build(opts: PrepareReleaseOptions, workdir: string, log: Logger): Promise<number> {
  if (opts.buildCommand === undefined || opts.buildCommand.trim() === '') {
    await mkdir(dirname(opts.logFile), { recursive: true });
    await appendFile(
      opts.logFile,
      `# ${shortSha(opts.sha)}: no build.command in wandol.yaml, nothing to build\n`,
    );
    return 0;
  }
  log.info('Building release', { command: opts.buildCommand });
  const { durationMs } = await runBuildCommand({
    command: opts.buildCommand,
    cwd: workdir,
    logFile: opts.logFile,
    timeoutMs: opts.timeoutMs,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.app ? { app: opts.app } : {}),
  });
  return durationMs;
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
