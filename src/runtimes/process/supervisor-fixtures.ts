import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstanceSpec } from '../runtime.js';

/** A process-runtime spec for tests: runs `command` in `dir`, logging to `dir/logs/<app>.log`. */
export function testSpec(
  dir: string,
  id: string,
  command: string,
  extra: Partial<InstanceSpec> = {},
): InstanceSpec {
  const app = extra.app ?? id.split('-')[0] ?? 'app';
  return {
    id,
    app,
    releaseId: 1,
    revision: 'c0ffee0000000000000000000000000000000000',
    slot: 'blue',
    workdir: dir,
    command,
    env: {},
    resources: {},
    volumes: [],
    terminationGracePeriodMs: 5_000,
    logFile: join(dir, 'logs', `${app}.log`),
    ...extra,
  };
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGKILLs a process group if it still exists: the last-resort cleanup of a test. Never throws. */
export function killGroup(pgid: number | undefined): void {
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * A command line running a small HTTP server with `node -e` that listens on $PORT (127.0.0.1),
 * answers `ok` on /healthz, its revision elsewhere, and exits with code 3 on /exit.
 */
export function nodeServerCommand(): string {
  const script = [
    "const http = require('http');",
    'const server = http.createServer((req, res) => {',
    "  if (req.url === '/exit') { res.end('bye'); setTimeout(() => process.exit(3), 10); return; }",
    "  res.end(req.url === '/healthz' ? 'ok' : String(process.env.WANDOL_REVISION));",
    '});',
    "server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));",
    "process.on('SIGTERM', () => { server.close(() => process.exit(0)); server.closeAllConnections(); });",
  ].join(' ');
  return `'${process.execPath}' -e "${script}"`;
}
