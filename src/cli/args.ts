import { parseArgs, type ParseArgsConfig } from 'node:util';
import { WandolError } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';

type Options = NonNullable<ParseArgsConfig['options']>;
/** Parsed flag values: strings, booleans, or undefined when absent. */
export type Values = Record<string, string | boolean | undefined>;

/** How a command's arguments look. */
export interface ArgSpec {
  /** e.g. `wandol deploy`: used in messages. */
  command: string;
  options: Options;
  /** Names of required positionals, in order (e.g. ['NAME']). */
  required?: readonly string[];
  /** Names of optional positionals after the required ones. */
  optional?: readonly string[];
}

/** Options every command takes. */
const COMMON: Options = { data: { type: 'string' } };

/**
 * Parses `args` strictly (util.parseArgs): unknown flags, missing flag values, missing or extra
 * positionals throw USAGE naming the command. Returns the flag values and the positionals.
 */
export function parseCommandArgs(spec: ArgSpec, args: string[]): { values: Values; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...COMMON, ...spec.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    const message = ((err as Error).message.split('. ')[0] ?? '').replace(/\.$/, '');
    throw usage(spec, message.charAt(0).toLowerCase() + message.slice(1));
  }
  const required = spec.required ?? [];
  const max = required.length + (spec.optional ?? []).length;
  const positionals = parsed.positionals;
  if (positionals.length < required.length) throw usage(spec, `missing ${required[positionals.length]}`);
  if (positionals.length > max) throw usage(spec, `unexpected argument ${JSON.stringify(positionals[max])}`);
  return { values: parsed.values as Values, positionals };
}

/** A USAGE error for `spec`'s command, pointing at its --help. */
export function usage(spec: { command: string }, message: string): WandolError {
  return new WandolError('USAGE', `${message} (see \`${spec.command} --help\`)`);
}

/** A string flag's value, or undefined when absent. */
export function stringFlag(values: Values, key: string): string | undefined {
  const value = values[key];
  return typeof value === 'string' ? value : undefined;
}

/** A whole-number flag within [min, max], `fallback` when absent; USAGE otherwise. */
export function intFlag(
  spec: ArgSpec,
  values: Values,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number;
export function intFlag(
  spec: ArgSpec,
  values: Values,
  key: string,
  fallback: undefined,
  min: number,
  max: number,
): number | undefined;
export function intFlag(
  spec: ArgSpec,
  values: Values,
  key: string,
  fallback: number | undefined,
  min: number,
  max: number,
): number | undefined {
  const raw = stringFlag(values, key);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw usage(spec, `--${key} must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** A duration flag (`10s`, `1m30s`, `500ms`, plain seconds) in ms, `fallback` when absent; USAGE otherwise. */
export function durationFlag(
  spec: ArgSpec,
  values: Values,
  key: string,
  fallback?: number,
): number | undefined {
  const raw = stringFlag(values, key);
  if (raw === undefined) return fallback;
  const ms = parseDuration(raw);
  if (ms === undefined || ms <= 0) {
    throw usage(
      spec,
      `--${key} must be a positive duration such as 10s, 1m30s or 500ms, not ${JSON.stringify(raw)}`,
    );
  }
  return ms;
}
