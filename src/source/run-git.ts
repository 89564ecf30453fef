import { spawn, type ChildProcess } from 'node:child_process';
import { formatDuration } from '../core/duration.js';
import { WandolError } from '../core/errors.js';
import { gitFailed, subcommand, type GitOutput } from './git-errors.js';

export { gitFailed, gitReason, type GitOutput } from './git-errors.js';

/** How to run one git command. */
export interface GitOptions {
  cwd?: string;
  /** Passed as `--git-dir=<gitDir>` before the arguments. */
  gitDir?: string;
  /** Default 60 s; the process group is stopped (SIGTERM, then SIGKILL) once it passes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Written to git's stdin (stdin is closed otherwise). */
  input?: string;
  /** Extra environment variables (for example GIT_INDEX_FILE). */
  env?: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const KILL_AFTER_MS = 5_000;
/** Variables that would point git elsewhere (set when wandol runs inside a git hook) or let it prompt. */
const DROPPED_ENV = [
  ...[
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_OBJECT_DIRECTORY',
    'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  ],
  ...['GIT_NAMESPACE', 'GIT_PREFIX', 'GIT_ASKPASS', 'SSH_ASKPASS'],
];

/** The environment git runs with: never prompts, C locale (stable messages), no inherited repo. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of DROPPED_ENV) delete env[name];
  env.GIT_TERMINAL_PROMPT = '0';
  env.GCM_INTERACTIVE = 'never';
  env.LC_ALL = 'C';
  if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined) {
    env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes -o ConnectTimeout=30';
  }
  return { ...env, ...extra };
}

/**
 * Runs git with an argument array (no shell). Resolves with the exit code and output, whatever the
 * code. Throws TIMEOUT after `timeoutMs`, CANCELLED when `signal` aborts (the process group is
 * stopped first), INTERNAL when git cannot be started.
 */
export function execGit(args: readonly string[], opts: GitOptions = {}): Promise<GitOutput> {
  const what = `git ${subcommand(args)}`;
  if (opts.signal?.aborted) return Promise.reject(new WandolError('CANCELLED', `${what} cancelled`));
  const child = spawn('git', opts.gitDir === undefined ? [...args] : [`--git-dir=${opts.gitDir}`, ...args], {
    cwd: opts.cwd,
    env: gitEnv(opts.env),
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: true, // its own process group, so that a stop reaches its helpers (ssh, git-remote-https)
  });
  child.stdin?.on('error', () => {}); // git may exit before reading all its input
  child.stdin?.end(opts.input);
  return supervise(child, what, opts);
}

/**
 * Runs git (see execGit) and returns its stdout as text. Throws INTERNAL when git exits non-zero,
 * with git's reason (redacted) in the message and its stderr lines in details.
 */
export async function runGit(args: readonly string[], opts: GitOptions = {}): Promise<string> {
  const out = await execGit(args, opts);
  if (out.code !== 0) throw gitFailed(args, out);
  return out.stdout.toString('utf8');
}

/** Collects a git child's output and stops its group on timeout or abort. */
function supervise(child: ChildProcess, what: string, opts: GitOptions): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    let stopped: WandolError | undefined;
    const stopWatch = watchDeadline(what, opts, (reason, signal) => {
      stopped ??= reason;
      killGroup(child, signal);
    });
    child.on('error', (err) => {
      stopWatch();
      reject(
        new WandolError('INTERNAL', `cannot run git: ${err.message}; install git and check PATH`, {
          cause: err,
        }),
      );
    });
    // A stopped git may leave helpers holding its pipes: settle on exit rather than wait for them.
    child.on('exit', () => {
      if (!stopped) return;
      stopWatch();
      killGroup(child, 'SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
      reject(stopped);
    });
    child.on('close', (code) => {
      stopWatch();
      if (stopped) return reject(stopped);
      resolve({
        code: code ?? 128,
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/**
 * Calls `onStop(TIMEOUT, 'SIGTERM')` after the timeout, or `onStop(CANCELLED, 'SIGTERM')` on abort,
 * then `onStop(reason, 'SIGKILL')` 5 s later unless disarmed. Returns the function that disarms it.
 */
function watchDeadline(
  what: string,
  opts: GitOptions,
  onStop: (reason: WandolError, signal: NodeJS.Signals) => void,
): () => void {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (reason: WandolError): void => {
    onStop(reason, 'SIGTERM');
    killTimer ??= setTimeout(() => onStop(reason, 'SIGKILL'), KILL_AFTER_MS);
  };
  const timeout = new WandolError('TIMEOUT', `${what} gave no result within ${formatDuration(timeoutMs)}`);
  const timer = setTimeout(() => stop(timeout), timeoutMs);
  const onAbort = (): void => stop(new WandolError('CANCELLED', `${what} cancelled`));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    clearTimeout(timer);
    clearTimeout(killTimer);
    opts.signal?.removeEventListener('abort', onAbort);
  };
}

/** Signals the process group of `child` (falls back to the child alone); "no such process" is fine. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}
