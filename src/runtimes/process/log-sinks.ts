import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { WandolError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';

/** A shared handle on one log file: append text, release when done. */
export interface LogSink {
  write(text: string): void;
  /** Gives the handle back; the file closes when its last handle is released. Idempotent. */
  release(): void;
}

interface OpenFile {
  stream: WriteStream;
  refs: number;
}

/**
 * One append-mode write stream per log file, shared by every instance writing to it (all instances
 * of an app write one file) and closed when the last of them is released. Write errors are logged,
 * never thrown: a full disk must not take the data plane down.
 */
export class LogSinks {
  private readonly files = new Map<string, OpenFile>();
  private readonly closing = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  /** A handle on `file` (its folder is created). Throws WandolError INTERNAL if it cannot be. */
  acquire(file: string): LogSink {
    const open = this.files.get(file) ?? this.open(file);
    open.refs++;
    let released = false;
    return {
      write: (text) => {
        if (!open.stream.destroyed && !open.stream.writableEnded) open.stream.write(text);
      },
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

  private open(file: string): OpenFile {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (err) {
      const reason = (err as Error).message;
      throw new WandolError(
        'INTERNAL',
        `cannot create the log folder of ${file} (${reason}): check the data dir's permissions`,
        {
          cause: err,
        },
      );
    }
    const stream = createWriteStream(file, { flags: 'a' });
    stream.on('error', (err) => this.logger.error('InstanceLogWriteFailed', { file, err }));
    const open = { stream, refs: 0 };
    this.files.set(file, open);
    return open;
  }

  private close(file: string, open: OpenFile): void {
    if (this.files.get(file) === open) this.files.delete(file);
    if (open.stream.closed) return;
    const closed = once(open.stream, 'close').catch(() => undefined);
    this.closing.add(closed);
    void closed.then(() => this.closing.delete(closed));
    open.stream.end();
  }
}
