import type { Writable } from 'node:stream';

/** Where a command writes and what it reads from its environment: injectable for tests. */
export interface CliIo {
  out: Writable;
  err: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** What commands that read input (`secret set`) read; process.stdin when absent. */
  stdin?: NodeJS.ReadableStream;
}

/** The real process's streams, environment and working directory. */
export function processIo(): CliIo {
  return {
    out: process.stdout,
    err: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
  };
}

/** Writes `text` and a newline. */
export function println(stream: Writable, text = ''): void {
  stream.write(text + '\n');
}

/** Prints `error: <message>` and each detail on its own line, indented, to stderr. */
export function printError(io: CliIo, message: string, details: readonly string[] = []): void {
  println(io.err, `error: ${message}`);
  for (const detail of details) println(io.err, `  ${detail}`);
}

/** Prints `value` as indented JSON (the `--json` output). */
export function printJson(io: CliIo, value: unknown): void {
  println(io.out, JSON.stringify(value, null, 2));
}
