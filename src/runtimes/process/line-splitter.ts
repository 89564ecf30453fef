import { StringDecoder } from 'node:string_decoder';

/** Longest line kept whole; a longer run without a newline is cut into lines of this size. */
const MAX_LINE = 64 * 1024;

/**
 * Cuts a byte stream into lines (without the newline, a trailing CR dropped) and hands each to
 * `emit`. UTF-8 characters split across chunks stay whole. `end()` flushes a partial last line.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly emit: (line: string) => void) {}

  /** Adds a chunk; emits every complete line in it. */
  push(chunk: Buffer | string): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let newline = this.pending.indexOf('\n');
    while (newline >= 0) {
      this.emitLine(this.pending.slice(0, newline));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf('\n');
    }
    while (this.pending.length > MAX_LINE) {
      this.emit(this.pending.slice(0, MAX_LINE));
      this.pending = this.pending.slice(MAX_LINE);
    }
  }

  /** Flushes what is left as a last line (if anything). Idempotent. */
  end(): void {
    this.pending += this.decoder.end();
    if (this.pending.length > 0) this.emitLine(this.pending);
    this.pending = '';
  }

  private emitLine(line: string): void {
    this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
