import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatDuration } from '../core/duration.js';
import { WandolError } from '../core/errors.js';
import { groupUsage } from '../platform/proc-stats.js';
import { readLogTail } from './log-tail.js';
import { signalGroup, terminateGroup, waitForExit, type ExitStatus } from './process-group.js';

/** One run of a user's build command. */
export interface BuildCommandOptions {
  /** The build.command of the app's wandol.yaml, run by `/bin/sh -c`. */
  command: string;
  cwd: string;
  /** Variables added to the agent's environment for the build. */
  env?: Record<string, string>;
  /** stdout and stderr are appended here (folders created). */
  logFile: string;
  timeoutMs: number;
  /** The whole build.timeout, for messages, when `timeoutMs` is only what is left of it. */
  budgetMs?: number;
  /** build.memory: the group is killed once its processes use more resident memory than this together. */
  memoryBytes?: number;
  signal?: AbortSignal;
  /** The app's name, for the `wandol logs <app> --build` hint. */
  app?: string;
}

/** How often the build's memory is sampled. */
const MEMORY_SAMPLE_MS = 500;

type Stop = 'timeout' | 'cancelled' | 'memory';
type Outcome = { status?: ExitStatus; stopped?: Stop };

/**
 * Runs the build command in its own process group, its output appended to `logFile` between a
 * `$ <command>` header and an exit/duration footer. Throws BUILD_FAILED on a non-zero exit,
 * TIMEOUT or CANCELLED after stopping the whole group (SIGTERM, SIGKILL 5 s later), BUILD_FAILED
 * after killing the group (SIGKILL at once) when it used more than `memoryBytes` (sampled every
 * 500 ms); each with the last 20 lines of output in details.
 */
export async function runBuildCommand(opts: BuildCommandOptions): Promise<{ durationMs: number }> {
  if (opts.signal?.aborted) throw new WandolError('CANCELLED', 'build cancelled before it started');
  await mkdir(dirname(opts.logFile), { recursive: true });
  const log = await open(opts.logFile, 'a');
  const started = Date.now();
  try {
    await log.write(`$ ${opts.command}\n`);
    const from = (await log.stat()).size;
    const outcome = await runInGroup(opts, log.fd);
    const durationMs = Date.now() - started;
    const ok = outcome.status?.code === 0;
    const tail = ok ? [] : await readLogTail(opts.logFile, from);
    await log.write(`${footer(outcome, opts)} after ${formatDuration(durationMs)}\n`);
    if (ok) return { durationMs };
    throw failure(opts, outcome, tail);
  } finally {
    await log.close();
  }
}

/** Spawns `/bin/sh -c command` detached and waits for it, stopping the group on timeout/abort. */
async function runInGroup(opts: BuildCommandOptions, fd: number): Promise<Outcome> {
  const child = spawn('/bin/sh', ['-c', opts.command], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  const exited = waitForExit(child).catch((err: Error) => {
    throw new WandolError('INTERNAL', `cannot start the build in ${opts.cwd}: ${err.message}`, {
      cause: err,
    });
  });
  let stopped: Stop | undefined;
  const stop = (why: Stop): void => {
    if (stopped !== undefined || child.pid === undefined) return;
    stopped = why;
    // Over its memory budget, a build is killed at once: a grace period would let it grow further.
    if (why === 'memory') signalGroup(child.pid, 'SIGKILL');
    else void terminateGroup(child.pid);
  };
  const timer = setTimeout(() => stop('timeout'), opts.timeoutMs);
  const sampler = watchMemory(child.pid, opts.memoryBytes, () => stop('memory'));
  const onAbort = (): void => stop('cancelled');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // Aborted while the log was being opened (after the check above): the event has fired already.
  if (opts.signal?.aborted) onAbort();
  try {
    const status = await exited;
    if (stopped && child.pid !== undefined) await terminateGroup(child.pid); // children it left behind
    return stopped ? { stopped } : { status };
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** Calls `over` when group `pgid` uses more than `limit` bytes of resident memory; no-op without a limit. */
function watchMemory(
  pgid: number | undefined,
  limit: number | undefined,
  over: () => void,
): NodeJS.Timeout | undefined {
  if (pgid === undefined || limit === undefined) return undefined;
  return setInterval(() => {
    if (groupUsage(pgid).rssBytes > limit) over();
  }, MEMORY_SAMPLE_MS);
}

/** `512 MiB`, `953.7 MiB`. */
function mebibytes(bytes: number): string {
  return `${Math.round((bytes / 2 ** 20) * 10) / 10} MiB`;
}

function footer(outcome: Outcome, opts: BuildCommandOptions): string {
  if (outcome.stopped === 'timeout')
    return `# stopped: no result within ${formatDuration(opts.budgetMs ?? opts.timeoutMs)}`;
  if (outcome.stopped === 'memory')
    return `# stopped: used more than ${mebibytes(opts.memoryBytes ?? 0)} of memory (build.memory)`;
  if (outcome.stopped === 'cancelled') return '# stopped: cancelled';
  const { code, signal } = outcome.status ?? { code: null, signal: null };
  return code === null ? `# killed by ${signal ?? 'a signal'}` : `# exit ${code}`;
}

function failure(opts: BuildCommandOptions, outcome: Outcome, details: string[]): WandolError {
  const hint = `see \`wandol logs ${opts.app ?? '<app>'} --build\``;
  if (outcome.stopped === 'memory') {
    const message = `build used more than ${mebibytes(opts.memoryBytes ?? 0)} of memory (build.memory) and was stopped; raise build.memory or reduce the build's memory use`;
    return new WandolError('BUILD_FAILED', message, { details });
  }
  if (outcome.stopped === 'timeout') {
    const message = `build command gave no result within ${formatDuration(opts.budgetMs ?? opts.timeoutMs)} and was stopped; raise build.timeout in wandol.yaml or make the build faster (${hint})`;
    return new WandolError('TIMEOUT', message, { details });
  }
  if (outcome.stopped === 'cancelled') {
    const reason = opts.signal?.reason instanceof Error ? `: ${opts.signal.reason.message}` : '';
    return new WandolError('CANCELLED', `build cancelled${reason}`, { details });
  }
  const { code, signal } = outcome.status ?? { code: null, signal: null };
  const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with code ${code}`;
  return new WandolError('BUILD_FAILED', `build command ${how}; ${hint}`, { details });
}
