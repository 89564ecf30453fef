import { readFileSync } from 'node:fs';
import type { Command } from './command.js';

/** The `wandol --help` text: every command with its summary. Pure. */
export function topUsage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`);
  return `usage: wandol [--data DIR] COMMAND [ARGS] [--help]

push-to-deploy with proven zero downtime.

commands:
${lines.join('\n')}

Every command takes --data DIR (default: $WANDOL_DATA, else ./.wandol) and -h/--help.
Exit status: 0 success, 1 failure (including a deploy that failed or rolled back), 2 usage error.
`;
}

/** The usage of a command group (`wandol app --help`). Pure. */
export function groupUsage(group: string, commands: readonly Command[]): string {
  const members = commands.filter((c) => c.name.startsWith(`${group} `));
  return `usage: wandol ${group} SUBCOMMAND [ARGS]

${members.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n')}
`;
}

/** The package's version, read from its package.json (`unknown` if it cannot be read). */
export function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
    return String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}
