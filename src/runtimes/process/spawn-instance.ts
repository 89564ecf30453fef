import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { WandolError } from '../../core/errors.js';
import type { InstanceSpec } from '../runtime.js';
import { LineSplitter } from './line-splitter.js';
import type { LogSink } from './log-sinks.js';

const INSTANCE_ID = /^[a-z0-9]([a-z0-9-]{0,251}[a-z0-9])?$/;

/** A spawned instance process and the moments it exits and its output ends. */
export interface SpawnedInstance {
  proc: ChildProcess;
  pid: number;
  /** Resolves with how it exited (the 'exit' event). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once stdout and stderr are closed and their last partial lines written. */
  closed: Promise<void>;
}

/** Checks what the process runtime needs of a spec; returns the command. Throws WandolError. */
export function checkProcessSpec(spec: InstanceSpec): string {
  if (typeof spec.id !== 'string' || !INSTANCE_ID.test(spec.id)) {
    throw new WandolError(
      'INVALID_NAME',
      `invalid instance id ${JSON.stringify(spec.id)}: use a-z, 0-9 and '-'`,
    );
  }
  if (typeof spec.command !== 'string' || spec.command.trim() === '') {
    throw new WandolError(
      'INVALID_CONFIG',
      `instance ${spec.id} has no command: set run.command in wandol.yaml (the process runtime runs it with /bin/sh)`,
    );
  }
  if (!isDirectory(spec.workdir)) {
    throw new WandolError(
      'NOT_FOUND',
      `working folder ${spec.workdir} of instance ${spec.id} does not exist: rebuild the release (wandol deploy)`,
    );
  }
  return spec.command;
}

/**
 * Spawns `/bin/sh -c <command>` (the user's own run.command, as an argument, never assembled from
 * other input) as the leader of a new process group, with stdout/stderr written line by line to
 * `sink` as `<ISO time> <id> <out|err> | <line>`. Throws WandolError INTERNAL if it cannot spawn.
 */
export async function spawnInstance(
  spec: InstanceSpec,
  command: string,
  env: Record<string, string>,
  sink: LogSink,
): Promise<SpawnedInstance> {
  const proc = spawn('/bin/sh', ['-c', command], {
    cwd: spec.workdir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) {
    const [err] = (await once(proc, 'error')) as [Error];
    throw new WandolError('INTERNAL', `could not start instance ${spec.id}: ${err.message}`, { cause: err });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const closed = Promise.all([
    pipeLines(proc.stdout, spec.id, 'out', sink),
    pipeLines(proc.stderr, spec.id, 'err', sink),
  ]).then(() => undefined);
  return { proc, pid: proc.pid, exited, closed };
}

function pipeLines(stream: Readable | null, id: string, tag: 'out' | 'err', sink: LogSink): Promise<void> {
  if (!stream) return Promise.resolve();
  const splitter = new LineSplitter((line) =>
    sink.write(`${new Date().toISOString()} ${id} ${tag} | ${line}\n`),
  );
  stream.on('data', (chunk: Buffer) => splitter.push(chunk));
  return new Promise((resolve) => {
    // 'close' follows 'end' and also comes when the pipe breaks without an 'end'.
    stream.once('close', () => {
      splitter.end();
      resolve();
    });
    stream.on('error', () => undefined);
  });
}

function isDirectory(path: string): boolean {
  try {
    return typeof path === 'string' && statSync(path).isDirectory();
  } catch {
    return false;
  }
}
