import { open, stat, type FileHandle } from 'node:fs/promises';
import { sleep } from '../core/clock.js';

const CHUNK = 64 * 1024;
/** The most a tail reads back, whatever N is: a log of very long lines must not fill memory. */
const MAX_TAIL_BYTES = 16 * 1024 * 1024;
/** The most one follow step reads before writing it out. */
const MAX_STEP_BYTES = 1024 * 1024;
/** Rotated files looked at beyond the live one (the process runtime keeps 5 by default). */
const MAX_ROTATED = 100;
const NEWLINE = Buffer.from('\n');

/** Which lines a reader keeps (the line with its newline, if it has one). */
export type LineFilter = (line: Buffer) => boolean;

/** The tail of a log and where to follow it from: `end` bytes into the live file, inode `ino`. */
export interface LogTail {
  data: Buffer;
  end: number;
  ino: number;
}

/** A file being read: an open handle, its inode and how far it was read (or its size). */
interface Opened {
  handle: FileHandle;
  ino: number;
  offset: number;
}

/** The path of rotated file `n` of `file` (`app.log.1` is the newest), for writers and readers alike. */
export function rotatedPath(file: string, n: number): string {
  return `${file}.${n}`;
}

/**
 * The lines of one release's instances in an app log, `<time> <app>-r<R>-<slot>-<n> out | …`:
 * instance ids start with `<app>-r<R>-`. Pure.
 */
export function releaseLineFilter(app: string, release: number): LineFilter {
  return secondFieldStartsWith(`${app}-r${release}-`);
}

/** The lines of one instance in an app log: its id is the whole second field. Pure. */
export function instanceLineFilter(instanceId: string): LineFilter {
  return secondFieldStartsWith(`${instanceId} `);
}

function secondFieldStartsWith(prefix: string): LineFilter {
  const token = Buffer.from(prefix);
  return (line) => {
    const space = line.indexOf(0x20);
    return space >= 0 && line.subarray(space + 1, space + 1 + token.length).equals(token);
  };
}

/**
 * The last `lines` lines (those `filter` keeps) of the log at `path` and of its rotated files
 * (`path.1` newest … `path.N` oldest, as the process runtime's log sink names them), oldest first.
 * A final newline ends the last line, it does not start an empty one. Also returns the live file's
 * size and inode, to follow from. undefined when the file does not exist. Reads backwards, at
 * most 16 MiB in all; a rotation while the files are opened makes it start over.
 */
export async function readTail(
  path: string,
  lines: number,
  filter?: LineFilter,
): Promise<LogTail | undefined> {
  for (let attempt = 0; ; attempt++) {
    const files = await openChain(path);
    if (files.length === 0) return undefined;
    try {
      const live = files[0]!;
      const ino = await stat(path).then(
        (s) => s.ino,
        () => undefined,
      );
      if (ino !== live.ino && attempt < 3) continue; // rotated meanwhile: the chain may be off by one
      const data = await lastLines(files, lines, filter);
      return { data, end: live.offset, ino: live.ino };
    } finally {
      await Promise.all(files.map((f) => f.handle.close()));
    }
  }
}

/**
 * Streams what is appended to `path` after offset `from` to `write` (awaited: backpressure), polling
 * every `intervalMs`, until `signal` aborts; then resolves. Survives rotation: when `path` is
 * replaced, the rest of the file followed (now `path.1`, or further if it rotated more than once
 * meanwhile) and the rotated files newer than it are read out first, then the new live file from
 * its start; `ino` (from readTail) finds the file tailed even if it was rotated just since. A file
 * truncated in place is read again from its start; a missing one is waited for. With a `filter`,
 * only whole lines it keeps are written. Never rejects on file errors; rejects only if `write` does.
 */
export async function followFile(
  path: string,
  from: number,
  write: (data: Buffer) => Promise<void>,
  signal: AbortSignal,
  intervalMs = 250,
  opts: { ino?: number; filter?: LineFilter } = {},
): Promise<void> {
  const out = opts.filter ? filteredWriter(write, opts.filter) : { push: write, flush: async () => {} };
  let current = await openAt(path, from);
  // Rotated files to read out, oldest first, before the live one.
  let behind: Opened[] = [];
  if (current && opts.ino !== undefined && current.ino !== opts.ino) {
    behind = await rotatedSince(path, { ino: opts.ino, offset: from }, current);
    current.offset = 0;
  }
  try {
    while (!signal.aborted) {
      // Rotated files, oldest first. The newest may still get lines its writer had buffered when
      // the file was rotated (the log sink writes to the new file only once the old one is
      // closed): it stays open and is read again until the live file has data.
      while (behind.length > 0) {
        const [file] = behind;
        const liveHasData = behind.length === 1 && (await sizeOf(current)) > 0;
        await drain(file!, out.push);
        if (behind.length === 1 && !liveHasData) break;
        await out.flush(); // a file that ended on a partial line: it will not grow any more
        await file!.handle.close();
        behind.shift();
      }
      if (behind.length === 0 && current && (await step(current, out.push)) > 0) continue; // more may be waiting
      const info = await stat(path).catch(() => undefined);
      if (info && info.ino !== current?.ino) {
        // Replaced: the old file is read out now and again until the new one has data, after any
        // rotated file still open and before every rotated file that came after it.
        // (Read now only when no older rotated file waits: lines stay in order.)
        if (current && behind.length === 0) await drain(current, out.push);
        const live = await openAt(path, 0);
        // Listed after the live file was opened, so that a file rotated meanwhile is not skipped.
        behind = [...behind, ...(current ? await rotatedSince(path, current, live) : [])];
        current = live;
      } else if (info && current && info.size < current.offset) current.offset = 0; // truncated in place
      await sleep(intervalMs, signal).catch(() => undefined);
    }
  } finally {
    await Promise.all([current, ...behind].map((f) => f?.handle.close().catch(() => undefined)));
  }
}

/**
 * The rotated files from `old` on (see newerThan) up to `live`, listed after `live` was opened:
 * should `live` have been rotated too since, it and the files after it are left out (it is read
 * through its own handle, and they are found as rotated after it).
 */
async function rotatedSince(
  path: string,
  old: { ino: number; offset: number; handle?: FileHandle },
  live: Opened | undefined,
): Promise<Opened[]> {
  const chain = await newerThan(path, old);
  const at = live ? chain.findIndex((f) => f.ino === live.ino) : -1;
  if (at < 0) return chain;
  await Promise.all(chain.slice(at).map((f) => f.handle.close()));
  return chain.slice(0, at);
}

/** The live file, then `path.1`, `path.2`… while they exist, each with its size as `offset`. */
async function openChain(path: string): Promise<Opened[]> {
  const files: Opened[] = [];
  for (let n = 0; n <= MAX_ROTATED; n++) {
    const file = await openAt(n === 0 ? path : rotatedPath(path, n), 'end');
    if (!file) break;
    files.push(file);
  }
  return files;
}

/** Opens `path` for reading at `offset` ('end': its current size); undefined when it cannot be. */
async function openAt(path: string, offset: number | 'end'): Promise<Opened | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  const info = await handle.stat().catch(() => undefined);
  if (!info) return void (await handle.close().catch(() => undefined));
  return { handle, ino: info.ino, offset: offset === 'end' ? info.size : offset };
}

/**
 * After `path` was rotated away from `old`: `old` (found again as `path.k` when it is not already
 * open) from where it was read, then `path.<k-1>` … `path.1` from their start. When `old` was
 * rotated past the last file kept, its open handle and every rotated file left; without a handle,
 * nothing.
 */
async function newerThan(
  path: string,
  old: { ino: number; offset: number; handle?: FileHandle },
): Promise<Opened[]> {
  const chain: Opened[] = [];
  for (let n = 1; n <= MAX_ROTATED; n++) {
    const file = await openAt(rotatedPath(path, n), 0);
    if (!file) break;
    if (file.ino !== old.ino) {
      chain.unshift(file);
      continue;
    }
    if (old.handle) await file.handle.close();
    return [{ handle: old.handle ?? file.handle, ino: old.ino, offset: old.offset }, ...chain];
  }
  // Not among the rotated files: rotated past the last one kept (deleted). Its open handle still
  // reads it out, and every rotated file left is newer than it; only those deleted are lost.
  if (old.handle) return [{ handle: old.handle, ino: old.ino, offset: old.offset }, ...chain];
  await Promise.all(chain.map((f) => f.handle.close()));
  return [];
}

/** Lines from the newest file backwards until `lines` are kept or the byte budget is spent. */
async function lastLines(files: Opened[], lines: number, filter: LineFilter | undefined): Promise<Buffer> {
  const picked: Buffer[] = [];
  const budget = { bytes: MAX_TAIL_BYTES };
  for (const [index, file] of files.entries()) {
    if (picked.length >= lines || budget.bytes <= 0) break;
    for await (const line of linesBackwards(file, budget)) {
      if (filter && !filter(line)) continue;
      // A rotated file always ends a line; should one not, keep lines apart.
      const whole = index > 0 && line[line.length - 1] !== 0x0a ? Buffer.concat([line, NEWLINE]) : line;
      if (picked.push(whole) >= lines) break;
    }
  }
  return Buffer.concat(picked.reverse());
}

/** The lines of a file from its end (`offset`) backwards, each with its newline; never a partial first line. */
async function* linesBackwards(file: Opened, budget: { bytes: number }): AsyncGenerator<Buffer> {
  const size = file.offset;
  let pos = size;
  let parts: Buffer[] = []; // the line being put together, in order
  while (pos > 0 && budget.bytes > 0) {
    const len = Math.min(CHUNK, pos);
    pos -= len;
    budget.bytes -= len;
    const buf = Buffer.alloc(len);
    const { bytesRead } = await file.handle.read(buf, 0, len, pos);
    let end = bytesRead;
    for (let i = bytesRead - 1; i >= 0; i--) {
      if (buf[i] !== 0x0a || pos + i === size - 1) continue; // the final newline ends the last line
      yield Buffer.concat([buf.subarray(i + 1, end), ...parts]);
      parts = [];
      end = i + 1;
    }
    if (end > 0) parts.unshift(buf.subarray(0, end));
  }
  if (pos === 0 && parts.length > 0) yield Buffer.concat(parts);
}

/** Reads what is after `file.offset`, at most one step, to `write`; returns the bytes read. */
async function step(file: Opened, write: (data: Buffer) => Promise<void>): Promise<number> {
  const size = await sizeOf(file);
  if (size <= file.offset) return 0;
  const buf = Buffer.alloc(Math.min(MAX_STEP_BYTES, size - file.offset));
  const { bytesRead } = await file.handle
    .read(buf, 0, buf.length, file.offset)
    .catch(() => ({ bytesRead: 0 }));
  if (bytesRead > 0) await write(buf.subarray(0, bytesRead));
  file.offset += bytesRead;
  return bytesRead;
}

/** The size of an open file now; 0 when there is none or it cannot be read. */
async function sizeOf(file: Opened | undefined): Promise<number> {
  return file
    ? file.handle.stat().then(
        (s) => s.size,
        () => 0,
      )
    : 0;
}

/** Reads `file` to its end. */
async function drain(file: Opened, write: (data: Buffer) => Promise<void>): Promise<void> {
  while ((await step(file, write)) > 0);
}

/** Writes only the whole lines `filter` keeps; a partial last line waits for its end (or `flush`). */
function filteredWriter(write: (data: Buffer) => Promise<void>, filter: LineFilter) {
  let partial = Buffer.alloc(0);
  const emit = async (data: Buffer): Promise<void> => {
    const kept: Buffer[] = [];
    for (let start = 0; start < data.length;) {
      const nl = data.indexOf(0x0a, start);
      const end = nl < 0 ? data.length : nl + 1;
      const line = data.subarray(start, end);
      if (filter(line)) kept.push(line);
      start = end;
    }
    if (kept.length > 0) await write(Buffer.concat(kept));
  };
  return {
    push: async (data: Buffer): Promise<void> => {
      const buf = partial.length > 0 ? Buffer.concat([partial, data]) : data;
      const last = buf.lastIndexOf(0x0a);
      partial = Buffer.from(buf.subarray(last + 1));
      if (last >= 0) await emit(buf.subarray(0, last + 1));
    },
    /** A file ended (rotated away) on a partial line: take it as a whole one. */
    flush: async (): Promise<void> => {
      const rest = partial;
      partial = Buffer.alloc(0);
      if (rest.length > 0) await emit(Buffer.concat([rest, NEWLINE]));
    },
  };
}
