import { createWriteStream, fstatSync, mkdirSync, openSync, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { WandolError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { DEFAULT_LOG_ROTATION, rotateFiles, type LogRotation } from './log-rotation.js';

/** A shared handle on one log file: append text, release when done. */
export interface LogSink {
  /** Appends `text`: whole lines (a rotation happens between writes, never inside one). */
  write(text: string): void;
  /** Gives the handle back; the file closes when its last handle is released. Idempotent. */
  release(): void;
}

interface OpenFile {
  /** Replaced on rotation; handles reach it through this record, so they follow. */
  stream: WriteStream;
  refs: number;
  /** Bytes in the file: its size when opened plus what was written since. */
  size: number;
  /** The inode the stream writes to, to notice a file rotated or removed by someone else. */
  ino: number;
  /**
   * Resolves once the streams of the files rotated away are closed: until then `stream` is corked,
   * so that their buffered lines reach disk before anything reaches the new file.
   */
  settled: Promise<void>;
}

/**
 * One append-mode write stream per log file, shared by every instance writing to it (all instances
 * of an app write one file) and closed when the last of them is released. A write that would take
 * the file past `rotation.maxBytes` first rotates it (app.log → app.log.1 …, see log-rotation.ts)
 * and reopens it, so that lines are never split across files and disk use stays bounded.
 * Write and rotation errors are logged, never thrown: a full disk must not take the data plane down.
 */
export class LogSinks {
  private readonly files = new Map<string, OpenFile>();
  private readonly closing = new Set<Promise<unknown>>();
  /** Per file released and not yet closed: a new stream on it waits (corked) until then. */
  private readonly ending = new Map<string, Promise<void>>();
  private readonly rotation: LogRotation;

  constructor(
    private readonly logger: Logger,
    rotation: Partial<LogRotation> = {},
  ) {
    this.rotation = { ...DEFAULT_LOG_ROTATION, ...rotation };
  }

  /** A handle on `file` (its folder is created). Throws WandolError INTERNAL if it cannot be opened. */
  acquire(file: string): LogSink {
    const open = this.files.get(file) ?? this.open(file);
    open.refs++;
    let released = false;
    return {
      write: (text) => this.append(file, open, text),
      release: () => {
        if (released) return;
        released = true;
        if (--open.refs === 0) this.close(file, open);
      },
    };
  }

  /** Ends every file (pending lines are flushed) and resolves once they are closed. */
  async closeAll(): Promise<void> {
    for (const [file, open] of this.files) this.close(file, open);
    await Promise.all(this.closing);
  }

  private append(file: string, open: OpenFile, text: string): void {
    if (open.stream.destroyed || open.stream.writableEnded) return;
    const bytes = Buffer.byteLength(text);
    if (open.size > 0 && open.size + bytes > this.rotation.maxBytes) this.rotate(file, open);
    open.stream.write(text);
    open.size += bytes;
  }

  /**
   * Renames the files and points `open` at a fresh file. Lines still buffered in the old stream land
   * in app.log.1 (its descriptor follows the rename); the new stream stays corked until the old one
   * is closed, so they land before anything written to the new file (a follower relies on it).
   */
  private rotate(file: string, open: OpenFile): void {
    try {
      // Someone else rotated or removed it: reopen only (renaming now would shift their files).
      if (currentIno(file) === open.ino) rotateFiles(file, this.rotation.keep);
      const next = this.openStream(file);
      const old = open.stream;
      next.stream.cork();
      // `old` may itself wait for an earlier file: it is ended only once it was uncorked.
      const settled = open.settled.then(() => this.end(old)).then(() => next.stream.uncork());
      Object.assign(open, next, { settled });
    } catch (err) {
      // Keep writing where we are; try again after another maxBytes rather than on every line.
      open.size = 0;
      this.logger.error('InstanceLogRotateFailed', { file, err });
    }
  }

  private open(file: string): OpenFile {
    try {
      mkdirSync(dirname(file), { recursive: true });
      const next = this.openStream(file);
      // Released a moment ago and still writing its last lines: they go first.
      const before = this.ending.get(file);
      if (before) next.stream.cork();
      const settled = before ? before.then(() => next.stream.uncork()) : Promise.resolve();
      const open = { ...next, refs: 0, settled };
      this.files.set(file, open);
      return open;
    } catch (err) {
      const reason = (err as Error).message;
      throw new WandolError(
        'INTERNAL',
        `cannot open the log file ${file} (${reason}): check the data dir's permissions and free space`,
        { cause: err },
      );
    }
  }

  /** Opens `file` for appending now (not on the next tick), so that the stream is bound to this inode. */
  private openStream(file: string): Pick<OpenFile, 'stream' | 'size' | 'ino'> {
    const fd = openSync(file, 'a');
    const { size, ino } = fstatSync(fd);
    const stream = createWriteStream(file, { fd, flags: 'a' });
    stream.on('error', (err) => this.logger.error('InstanceLogWriteFailed', { file, err }));
    return { stream, size, ino };
  }

  private close(file: string, open: OpenFile): void {
    if (this.files.get(file) === open) this.files.delete(file);
    const { stream } = open;
    const ended = open.settled.then(() => this.end(stream));
    this.ending.set(file, ended);
    this.track(ended);
    void ended.then(() => {
      if (this.ending.get(file) === ended) this.ending.delete(file);
    });
  }

  /** Ends `stream` (its buffered lines are written) and resolves once it is closed. Never rejects. */
  private end(stream: WriteStream): Promise<void> {
    if (stream.closed) return Promise.resolve();
    const closed = once(stream, 'close').then(
      () => undefined,
      () => undefined,
    );
    this.track(closed);
    if (!stream.writableEnded) stream.end();
    return closed;
  }

  /** closeAll waits for `work`. */
  private track(work: Promise<unknown>): void {
    this.closing.add(work);
    void work.then(() => this.closing.delete(work));
  }
}

function currentIno(file: string): number | undefined {
  try {
    return statSync(file).ino;
  } catch {
    return undefined;
  }
}
