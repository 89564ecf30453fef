import { asWandolError, WandolError } from '../core/errors.js';
import { println, printError, processIo, type CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { COMMANDS, GROUPS } from './commands/index.js';
import { EXIT_OK, EXIT_USAGE, exitCodeFor } from './exit-code.js';
import { groupUsage, packageVersion, topUsage } from './help.js';

/** What the leading arguments ask for, before a command's own arguments. */
type Resolved =
  | { kind: 'command'; command: Command; args: string[]; globalData: string | undefined }
  | { kind: 'text'; text: string; code: number; toErr?: boolean };

/**
 * The `wandol` command line: runs the command `argv` names and returns the exit status. The only
 * top-level catch of the CLI: an error is printed as `error: <message>` plus its details on stderr
 * and mapped to the exit status in exit-code.ts.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const resolved = resolve(argv);
    if (resolved.kind === 'text') {
      (resolved.toErr ? io.err : io.out).write(resolved.text);
      return resolved.code;
    }
    return await resolved.command.run(resolved.args, { io, globalData: resolved.globalData });
  } catch (err) {
    const error = asWandolError(err);
    printError(io, error.message, error.details);
    if (error.code === 'INTERNAL' && !(err instanceof WandolError) && err instanceof Error && err.stack) {
      println(io.err, err.stack); // a bug: show where
    }
    return exitCodeFor(error);
  }
}

/** Reads global flags (`--data DIR`, `--help`, `--version`) then the command name. Throws USAGE. */
function resolve(argv: string[]): Resolved {
  let globalData: string | undefined;
  let i = 0;
  for (; i < argv.length && (argv[i] ?? '').startsWith('-'); i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') return { kind: 'text', text: topUsage(COMMANDS), code: EXIT_OK };
    if (arg === '--version' || arg === '-v')
      return { kind: 'text', text: `wandol ${packageVersion()}\n`, code: EXIT_OK };
    if (arg === '--data' && i + 1 < argv.length) globalData = argv[++i];
    else if (arg.startsWith('--data=')) globalData = arg.slice('--data='.length);
    else
      throw new WandolError(
        'USAGE',
        `unknown option ${JSON.stringify(arg)} before the command (see \`wandol --help\`)`,
      );
  }
  const name = argv[i];
  if (name === undefined) return { kind: 'text', text: topUsage(COMMANDS), code: EXIT_USAGE, toErr: true };
  let rest = argv.slice(i + 1);
  let full = name;
  if (GROUPS.includes(name)) {
    const sub = rest[0];
    if (sub === undefined || sub === '-h' || sub === '--help') {
      return {
        kind: 'text',
        text: groupUsage(name, COMMANDS),
        code: sub === undefined ? EXIT_USAGE : EXIT_OK,
        toErr: sub === undefined,
      };
    }
    full = `${name} ${sub}`;
    rest = rest.slice(1);
  }
  const command = COMMANDS.find((c) => c.name === full);
  if (!command)
    throw new WandolError('USAGE', `unknown command ${JSON.stringify(full)} (see \`wandol --help\`)`);
  if (wantsHelp(rest)) return { kind: 'text', text: command.usage, code: EXIT_OK };
  return { kind: 'command', command, args: rest, globalData };
}

/** `-h`/`--help` anywhere before a `--`. */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help');
}
