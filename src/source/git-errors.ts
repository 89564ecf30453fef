import { WandolError } from '../core/errors.js';

/** What a finished git process left: its exit code and output. */
export interface GitOutput {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** The INTERNAL error for a git command that exited non-zero: git's reason, stderr in details. */
export function gitFailed(args: readonly string[], out: GitOutput): WandolError {
  const message = `git ${subcommand(args)} failed (exit ${out.code}): ${gitReason(out.stderr)}`;
  return new WandolError('INTERNAL', message, { details: stderrLines(out.stderr) });
}

/** Lines git prints around every remote failure, which say nothing about this one. */
const BOILERPLATE = new Set([
  'Please make sure you have the correct access rights',
  'and the repository exists.',
]);

/**
 * git's own reason from its stderr: its lines without `fatal:`/`error:` prefixes, hints and
 * boilerplate, joined with `; ` (for example ssh's "connect to host … Connection refused").
 */
export function gitReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim().replace(/^(fatal|error):\s*/, ''))
    .filter((l) => l !== '' && !l.startsWith('hint:') && !BOILERPLATE.has(l));
  const reason = [...new Set(lines)].join('; ').replace(/\.+$/, '') || 'no output';
  return reason.length > 500 ? `${reason.slice(0, 500)}...` : reason;
}

/** The non-empty lines of git's stderr (the last 20), for error details. */
export function stderrLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .slice(-20);
}

/** The git subcommand among the arguments, for messages (`-c key=value` pairs skipped). */
export function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-c' || arg === '-C') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return '';
}
