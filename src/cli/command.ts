import { stringFlag, type Values } from './args.js';
import type { CliIo } from './cli-io.js';
import { resolveDataDir } from './data-dir.js';

/** What a command runs with. */
export interface CommandContext {
  io: CliIo;
  /** `--data` given before the command name (`wandol --data DIR status`). */
  globalData?: string | undefined;
}

/** One CLI command. `run` returns the exit status or throws (main maps errors to exit codes). */
export interface Command {
  /** As typed: `status`, `app add`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  usage: string;
  run(args: string[], ctx: CommandContext): Promise<number>;
}

/** The data dir for a command: its own `--data`, else the global one, else WANDOL_DATA, else ./.wandol. */
export function dataDirOf(values: Values, ctx: CommandContext): string {
  return resolveDataDir({
    flag: stringFlag(values, 'data') ?? ctx.globalData,
    env: ctx.io.env,
    cwd: ctx.io.cwd,
  });
}
