import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BuildCacheSpec } from '../config/app-spec.js';
import { formatDuration } from '../core/duration.js';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { BuildCacheEntry, shortKey } from './build-cache.js';
import { runBuildCommand } from './run-build-command.js';
import { defined } from '../core/defined.js';

/** The build of one release folder: cache entries, then build.command. */
export interface BuildStepsOptions {
  /** Where the app is built: `<releaseDir>/<appPath>`. */
  workdir: string;
  buildCommand?: string;
  /** build.cache of the app spec. */
  cache: readonly BuildCacheSpec[];
  /** The app's cache folder; without one every entry is a miss and nothing is saved. */
  cacheDir?: string;
  env?: Record<string, string>;
  logFile: string;
  /** build.timeout: the budget of all commands together. */
  timeoutMs: number;
  /** build.memory, applied to each command. */
  memoryBytes?: number;
  signal?: AbortSignal;
  logger: Logger;
  app?: string;
}

/** What became of one build.cache entry. */
export interface CacheOutcome {
  paths: string[];
  /** `sha256:<hex>`. */
  key: string;
  hit: boolean;
}

/**
 * Runs a build: for each cache entry, restores its folders when its key was saved (a hit) or else
 * runs its command and saves the folders (an entry without command is saved after build.command);
 * then build.command. Commands share one timeout budget, log file and memory budget. Restoring or
 * saving a cache never fails the build (it is noted in the log and treated as a miss). Throws like
 * runBuildCommand, and CANCELLED when aborted during a copy.
 */
export async function runBuildSteps(
  opts: BuildStepsOptions,
): Promise<{ durationMs: number; cache: CacheOutcome[] }> {
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  const run = async (command: string): Promise<void> => {
    await runBuildCommand({
      command,
      cwd: opts.workdir,
      logFile: opts.logFile,
      timeoutMs: Math.max(1, deadline - Date.now()),
      budgetMs: opts.timeoutMs,
      ...defined({ env: opts.env, memoryBytes: opts.memoryBytes, signal: opts.signal, app: opts.app }),
    });
  };
  await mkdir(dirname(opts.logFile), { recursive: true });
  const outcomes: CacheOutcome[] = [];
  const saveAfterBuild: [BuildCacheEntry, string][] = [];
  for (const spec of opts.cache) {
    const entry = opts.cacheDir === undefined ? undefined : new BuildCacheEntry(opts.cacheDir, spec);
    const key = await (entry ?? new BuildCacheEntry('', spec)).key(opts.workdir);
    const hit = entry !== undefined && (await restore(entry, key, opts));
    outcomes.push({ paths: [...spec.paths], key, hit });
    if (hit) continue;
    const doing = spec.command ? `: running ${spec.command}` : '';
    await note(opts, `# cache miss for ${spec.paths.join(', ')} (key ${shortKey(key)})${doing}`);
    if (spec.command) await run(spec.command);
    if (entry && spec.command) await save(entry, key, opts);
    else if (entry) saveAfterBuild.push([entry, key]);
  }
  if (opts.buildCommand) await run(opts.buildCommand);
  for (const [entry, key] of saveAfterBuild) await save(entry, key, opts);
  return { durationMs: Date.now() - started, cache: outcomes };
}

/** Restores a saved key; false on a miss or when restoring failed (the folders are then removed). */
async function restore(entry: BuildCacheEntry, key: string, opts: BuildStepsOptions): Promise<boolean> {
  if (!(await entry.has(key))) return false;
  const started = Date.now();
  const paths = entry.spec.paths.join(', ');
  try {
    await entry.restore(key, opts.workdir, opts.signal);
  } catch (err) {
    cancelledCheck(opts);
    opts.logger.warn('Build cache restore failed', { paths, key, err });
    await note(opts, `# cache restore failed for ${paths} (${message(err)}): treated as a miss`);
    await entry.clear(opts.workdir).catch(() => undefined);
    return false;
  }
  opts.logger.info('Build cache hit', { paths, key });
  await note(
    opts,
    `# cache hit for ${paths} (key ${shortKey(key)}): restored in ${formatDuration(Date.now() - started)}`,
  );
  return true;
}

/** Saves the folders under `key`; a failure is logged, never thrown (except cancellation). */
async function save(entry: BuildCacheEntry, key: string, opts: BuildStepsOptions): Promise<void> {
  const started = Date.now();
  const paths = entry.spec.paths.join(', ');
  try {
    await entry.save(key, opts.workdir, opts.signal);
  } catch (err) {
    cancelledCheck(opts);
    opts.logger.warn('Build cache save failed', { paths, key, err });
    await note(opts, `# cache not saved for ${paths}: ${message(err)}`);
    return;
  }
  opts.logger.info('Build cache saved', { paths, key });
  await note(
    opts,
    `# cache saved for ${paths} (key ${shortKey(key)}) in ${formatDuration(Date.now() - started)}`,
  );
}

function cancelledCheck(opts: BuildStepsOptions): void {
  if (!opts.signal?.aborted) return;
  const reason = opts.signal.reason instanceof Error ? `: ${opts.signal.reason.message}` : '';
  throw new WandolError('CANCELLED', `build cancelled${reason}`);
}

const note = (opts: BuildStepsOptions, line: string): Promise<void> => appendFile(opts.logFile, `${line}\n`);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
