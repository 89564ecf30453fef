import { Writable } from 'node:stream';
import type { CliIo } from './cli-io.js';

/** A CliIo whose output is collected in strings: for tests of commands. */
export interface CapturedIo extends CliIo {
  stdout(): string;
  stderr(): string;
}

/** A CliIo writing into memory, with the given environment and working directory. */
export function captureIo(opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): CapturedIo {
  const collect = (): { stream: Writable; text: () => string } => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    return { stream, text: () => text };
  };
  const out = collect();
  const err = collect();
  return {
    out: out.stream,
    err: err.stream,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    stdout: out.text,
    stderr: err.text,
  };
}
