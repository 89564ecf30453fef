import { open, stat } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import { LineSplitter } from '../process/line-splitter.js';
import type { LogSink } from '../process/log-sinks.js';

/** How far back the app log is read to find where a resumed follower left off. */
const TAIL_BYTES = 256 * 1024;

/** Where to pick up an instance's output again: lines at or before `afterMs` were written already. */
export interface LogResume {
  afterMs: number;
  /** The lines already written with exactly the timestamp `afterMs` (to skip them, not others). */
  seen: ReadonlySet<string>;
}

/** A running `docker logs --follow` into an app log. */
export interface LogFollower {
  /** Resolves once the container's output ended (it exited) or `stop` was called. */
  done: Promise<void>;
  /** Stops following (the last partial lines are written). Idempotent. */
  stop(): void;
}

/**
 * Follows a container's stdout/stderr (Docker's own timestamps) and appends each line to `sink`
 * as `<ISO time> <id> <out|err> | <line>`, the process runtime's format. With `resume`, lines up
 * to where a previous agent stopped are skipped, so an adopted container's log has no gap and no
 * duplicate. Throws what the engine throws when the stream cannot be opened.
 */
export async function followLogs(
  docker: Docker,
  container: Docker.Container,
  id: string,
  sink: LogSink,
  resume?: LogResume,
): Promise<LogFollower> {
  const since = resume ? Math.floor(resume.afterMs / 1000) : 0;
  const stream = (await container.logs({
    follow: true,
    stdout: true,
    stderr: true,
    timestamps: true,
    since,
  })) as Readable;
  const out = new PassThrough();
  const err = new PassThrough();
  docker.modem.demuxStream(stream, out, err);
  const write = (tag: 'out' | 'err') => (line: string) => {
    const formatted = formatLine(line, id, tag);
    if (!alreadyWritten(formatted, resume)) sink.write(formatted.text);
  };
  const done = Promise.all([pipeLines(out, write('out')), pipeLines(err, write('err'))]).then(
    () => undefined,
  );
  const finish = (): void => {
    out.end();
    err.end();
  };
  stream.once('end', finish);
  stream.once('close', finish);
  stream.on('error', finish);
  return { done, stop: () => stream.destroy() };
}

function pipeLines(stream: PassThrough, emit: (line: string) => void): Promise<void> {
  const splitter = new LineSplitter(emit);
  stream.on('data', (chunk: Buffer) => splitter.push(chunk));
  return new Promise((resolve) =>
    stream.once('end', () => {
      splitter.end();
      resolve();
    }),
  );
}

/** A Docker log line (`<RFC3339Nano> <text>`) in wandol's format, with its time in ms. */
function formatLine(line: string, id: string, tag: 'out' | 'err'): { text: string; ms: number } {
  const space = line.indexOf(' ');
  const parsed = space > 0 ? Date.parse(line.slice(0, space)) : NaN;
  const ms = Number.isFinite(parsed) ? parsed : Date.now();
  const body = Number.isFinite(parsed) ? line.slice(space + 1) : line;
  return { text: `${new Date(ms).toISOString()} ${id} ${tag} | ${body}\n`, ms };
}

function alreadyWritten(line: { text: string; ms: number }, resume: LogResume | undefined): boolean {
  if (!resume) return false;
  return line.ms < resume.afterMs || (line.ms === resume.afterMs && resume.seen.has(line.text));
}

/**
 * Where following instance `id` should resume, from the end of its app log: the time of the last
 * line it wrote there (and those lines). When none of its lines is in the last 256 KiB, the file's
 * modification time (nothing later can have been written); undefined without a log file.
 */
export async function logResumePoint(logFile: string, id: string): Promise<LogResume | undefined> {
  const info = await stat(logFile).catch(() => undefined);
  if (!info) return undefined;
  const handle = await open(logFile, 'r');
  try {
    const start = Math.max(0, info.size - TAIL_BYTES);
    const buffer = Buffer.alloc(info.size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const marker = ` ${id} `;
    const mine = buffer
      .toString('utf8')
      .split('\n')
      .filter((l) => l.includes(marker) && /^\S+ \S+ (out|err) \| /.test(l) && l.split(' ', 2)[1] === id);
    const last = mine.at(-1);
    const afterMs = last ? Date.parse(last.slice(0, last.indexOf(' '))) : NaN;
    if (!last || !Number.isFinite(afterMs)) return { afterMs: Math.floor(info.mtimeMs), seen: new Set() };
    const stamp = last.slice(0, last.indexOf(' '));
    return { afterMs, seen: new Set(mine.filter((l) => l.startsWith(`${stamp} `)).map((l) => `${l}\n`)) };
  } finally {
    await handle.close();
  }
}
