import { open, stat } from 'node:fs/promises';
import { sleep } from '../core/clock.js';

const CHUNK = 64 * 1024;
/** The most a tail reads back, whatever N is: a log of very long lines must not fill memory. */
const MAX_TAIL_BYTES = 16 * 1024 * 1024;
/** The most one follow step reads before writing it out. */
const MAX_STEP_BYTES = 1024 * 1024;

/**
 * The last `lines` lines of the file (a final newline ends the last line, it does not start an empty
 * one) and the file's size when read, the offset to follow from. undefined when the file does not
 * exist. Reads backwards in chunks, at most 16 MiB.
 */
export async function readTail(
  path: string,
  lines: number,
): Promise<{ data: Buffer; end: number } | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    const chunks: Buffer[] = [];
    let pos = size;
    let newlines = 0;
    while (pos > 0 && lines > 0 && size - pos < MAX_TAIL_BYTES) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const buf = Buffer.alloc(len);
      const { bytesRead } = await handle.read(buf, 0, len, pos);
      for (let i = bytesRead - 1; i >= 0; i--) {
        if (buf[i] !== 0x0a || pos + i === size - 1) continue;
        if (++newlines === lines) {
          chunks.unshift(buf.subarray(i + 1, bytesRead));
          return { data: Buffer.concat(chunks), end: size };
        }
      }
      chunks.unshift(buf.subarray(0, bytesRead));
    }
    return { data: lines > 0 ? Buffer.concat(chunks) : Buffer.alloc(0), end: size };
  } finally {
    await handle.close();
  }
}

/**
 * Streams what is appended to `path` after offset `from` to `write` (awaited: backpressure), polling
 * every `intervalMs`, until `signal` aborts; then resolves. A file that shrinks (truncated) or is
 * replaced (rotated: another inode) is read again from its start; a file that is missing for a while
 * is waited for. Never rejects on file errors; rejects only if `write` does.
 */
export async function followFile(
  path: string,
  from: number,
  write: (data: Buffer) => Promise<void>,
  signal: AbortSignal,
  intervalMs = 250,
): Promise<void> {
  let offset = from;
  let inode: number | undefined;
  while (!signal.aborted) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      offset = 0;
      inode = undefined;
    } else {
      if ((inode !== undefined && info.ino !== inode) || info.size < offset) offset = 0;
      inode = info.ino;
      if (info.size > offset) {
        const copied = await copyRange(path, offset, Math.min(info.size, offset + MAX_STEP_BYTES), write);
        offset += copied;
        if (copied > 0) continue; // more may be waiting: read again before sleeping
      }
    }
    await sleep(intervalMs, signal).catch(() => undefined);
  }
}

async function copyRange(
  path: string,
  start: number,
  end: number,
  write: (data: Buffer) => Promise<void>,
): Promise<number> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return 0;
  try {
    const buf = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buf, 0, buf.length, start);
    if (bytesRead > 0) await write(buf.subarray(0, bytesRead));
    return bytesRead;
  } finally {
    await handle.close();
  }
}
