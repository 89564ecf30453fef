import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sleep } from '../core/clock.js';
import { dataLayout } from '../core/data-layout.js';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { DataplaneClient } from './control-client.js';
import type { DataplaneHealth } from './control-protocol.js';

/** How long a freshly spawned data plane may take to answer on its socket. */
const START_DEADLINE_MS = 10_000;

/** What ensureDataplane needs. */
export interface EnsureDataplaneOptions {
  dataDir: string;
  listenHost: string;
  httpPort?: number;
  logger: Logger;
}

/**
 * A client of the data plane of `dataDir`: the running one if it answers (kept even when its
 * listen host or port differ from the ones asked, with a warning), else a new daemon spawned in its
 * own session so that it outlives the agent. Idempotent. Throws DATAPLANE_UNREACHABLE with the tail
 * of the data plane's log when a new one does not answer within 10 s.
 */
export async function ensureDataplane(opts: EnsureDataplaneOptions): Promise<DataplaneClient> {
  const layout = dataLayout(opts.dataDir);
  const client = new DataplaneClient(layout.dataplaneSocket);
  const running = await firstProbe(client);
  if (running) {
    warnIfDifferent(running, opts);
    return client;
  }
  const daemon = spawnDaemon(opts, layout.dataplaneLog);
  opts.logger.info('DataplaneSpawned', { pid: daemon.pid, socket: layout.dataplaneSocket });
  let exitCode: number | null | undefined;
  daemon.once('exit', (code) => (exitCode = code));
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (await client.health().catch(() => undefined)) return client;
    // Another agent's daemon may have won the race for the socket: health is checked once more.
    if (exitCode !== undefined && !(await client.health().catch(() => undefined))) break;
    await sleep(100);
  }
  client.close();
  const why =
    exitCode === undefined ? `did not answer within ${START_DEADLINE_MS / 1000} s` : `exited (${exitCode})`;
  throw new WandolError(
    'DATAPLANE_UNREACHABLE',
    `the data plane ${why} on ${layout.dataplaneSocket}: see ${layout.dataplaneLog} (tail in details)`,
    { details: logTail(layout.dataplaneLog) },
  );
}

/** The absolute path of the daemon's entry, next to this file once compiled. */
export function dataplaneMainPath(): string {
  return fileURLToPath(new URL('./main.js', import.meta.url));
}

function spawnDaemon(opts: EnsureDataplaneOptions, logFile: string): ChildProcess {
  const args = [dataplaneMainPath(), '--data', opts.dataDir, '--listen-host', opts.listenHost];
  if (opts.httpPort !== undefined) args.push('--http-port', String(opts.httpPort));
  mkdirSync(opts.dataDir, { recursive: true });
  mkdirSync(dataLayout(opts.dataDir).logsDir, { recursive: true });
  // Its stdout/stderr go to its log, so a crash before the logger is up still leaves a trace.
  const out = openSync(logFile, 'a');
  try {
    const child = spawn(process.execPath, args, {
      detached: true,
      stdio: ['ignore', out, out],
      cwd: opts.dataDir,
    });
    child.on('error', (err) => opts.logger.error('DataplaneSpawnFailed', { err }));
    child.unref();
    return child;
  } finally {
    closeSync(out);
  }
}

/**
 * Health, retried a few times on errors other than "nothing listens": a data plane that is dying
 * right now resets connections for a moment. Throws the last error if it persists.
 */
async function firstProbe(client: DataplaneClient): Promise<DataplaneHealth | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.health();
    } catch (err) {
      if (attempt >= 4) throw err;
      await sleep(200);
    }
  }
}

function warnIfDifferent(running: DataplaneHealth, opts: EnsureDataplaneOptions): void {
  const wanted = { listenHost: opts.listenHost, httpPort: opts.httpPort ?? null };
  // Port 0 asks for any free port: whichever the running one bound is fine.
  const samePort =
    running.httpPort === wanted.httpPort || (wanted.httpPort === 0 && running.httpPort !== null);
  if (running.listenHost === wanted.listenHost && samePort) return;
  opts.logger.warn('DataplaneSettingsDiffer', {
    running: { listenHost: running.listenHost, httpPort: running.httpPort },
    wanted,
    hint: 'run `wandol down` then `wandol up` to apply the new settings',
  });
}

function logTail(path: string, lines = 20): string[] {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines);
  } catch {
    return [];
  }
}
