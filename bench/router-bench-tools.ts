/**
 * Helpers of bench/router-bench.ts: wrk runs and their parsing, child processes,
 * and CPU time read from /proc. Loopback only; every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';

/** What one wrk run measured. */
export interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/** True when `command` is an executable name found on PATH. */
export function onPath(command: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => existsSync(join(dir, command)));
}

/** The numeric value of `--name N` or `--name=N` on the command line, or `fallback`. */
export function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = Number(
    inline !== undefined ? inline.slice(name.length + 3) : i === -1 ? NaN : process.argv[i + 1],
  );
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Sends SIGTERM to the children still running and waits (at most 5 s, then SIGKILL) until they exit. */
export async function stopChildren(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** Resolves once 127.0.0.1:port accepts a connection; throws after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a child and resolves with it and its first stdout line; rejects if it exits first. */
export function startChild(command: string, args: string[]): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve({ child, line: out.slice(0, nl) });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready`)));
  });
}

function toMs(value: string | undefined, unit: string | undefined): number {
  const n = Number(value ?? 0);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

/** Runs `wrk -t1 -c<connections> -d<seconds>s --latency url` and parses req/s, p50 and p99. */
export function wrk(url: string, seconds: number, connections: number): Promise<WrkResult> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', () => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(out);
      const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
      if (!rps || !p50 || !p99) return reject(new Error(`cannot read wrk output:\n${out}`));
      resolve({ rps: Number(rps[1]), p50Ms: toMs(p50[1], p50[2]), p99Ms: toMs(p99[1], p99[2]) });
    });
  });
}

/** CPU time (user + system, ms) used so far by the processes `pids`; 0 where /proc cannot tell. */
export function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    } catch {
      // not Linux, or the process is gone: no figure
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** The child pids of `pid` (nginx's worker under its master); empty when /proc cannot tell. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
