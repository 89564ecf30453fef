import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import type { ProbeAction } from '../config/app-spec.js';

/** What a probe runs against: the instance's loopback endpoint, and its folder/env for exec probes. */
export interface ProbeTarget {
  host: string;
  port?: number;
  workdir?: string;
  env?: Record<string, string>;
  /** Runs exec probes inside the instance (containers); without it they run on the host. */
  exec?: (command: string[], timeoutMs: number) => Promise<boolean>;
}

/**
 * Runs one probe check with Kubernetes semantics: httpGet succeeds on a 200–399 status, tcpSocket
 * when a connection opens, exec when the command exits 0. Resolves false on failure or timeout;
 * never throws.
 */
export function probeOnce(action: ProbeAction, target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  switch (action.kind) {
    case 'httpGet':
      return httpCheck(action.path, action.port ?? target.port, target.host, action.httpHeaders, timeoutMs);
    case 'tcpSocket':
      return tcpCheck(action.port ?? target.port, target.host, timeoutMs);
    case 'exec':
      return target.exec
        ? target.exec(action.command, timeoutMs).catch(() => false)
        : execCheck(action.command, target, timeoutMs);
  }
}

function httpCheck(
  path: string,
  port: number | undefined,
  host: string,
  headers: { name: string; value: string }[],
  timeoutMs: number,
): Promise<boolean> {
  if (port === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = request(
      {
        host,
        port,
        path,
        method: 'GET',
        timeout: timeoutMs,
        agent: false,
        headers: {
          'user-agent': 'wandol-probe',
          ...Object.fromEntries(headers.map((h) => [h.name, h.value])),
        },
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 400);
      },
    );
    req.on('timeout', () => req.destroy(new Error('probe timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

function tcpCheck(port: number | undefined, host: string, timeoutMs: number): Promise<boolean> {
  if (port === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function execCheck(command: string[], target: ProbeTarget, timeoutMs: number): Promise<boolean> {
  const [file, ...args] = command;
  if (!file) return Promise.resolve(false);
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...target.env };
    const child = spawn(file, args, { cwd: target.workdir, env, stdio: 'ignore', timeout: timeoutMs });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}
