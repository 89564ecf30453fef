import { WandolError } from '../core/errors.js';

/** One thing wrong in a wandol.yaml: where (a key path) and what would be accepted. */
export interface Problem {
  path: readonly PropertyKey[];
  message: string;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const MAX_SHOWN = 60;

/** Renders a key path as users write it: `probes.readiness.httpGet.path`, `volumes[0].name`. Pure. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && PLAIN_KEY.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Describes a value found in the file for a message: `"blue-gren"`, `3`, `true`, `a list`. Pure. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

/** `wandol.yaml: strategy.type: expected ...`: the file, the key path, then the message. Pure. */
export function formatProblem(file: string, problem: Problem): string {
  const where = formatPath(problem.path);
  return where === '' ? `${file}: ${problem.message}` : `${file}: ${where}: ${problem.message}`;
}

/**
 * The INVALID_CONFIG error for a file with these problems (or preformatted detail lines), one
 * detail each, duplicates dropped, order kept. Never throws; the caller throws it.
 */
export function invalidConfig(file: string, problems: readonly (Problem | string)[]): WandolError {
  const lines = problems.map((p) => (typeof p === 'string' ? p : formatProblem(file, p)));
  const details = [...new Set(lines)];
  return new WandolError(
    'INVALID_CONFIG',
    `${file} is invalid: ${details.length} problem(s); the running version keeps serving. Fix the file and push again.`,
    { details },
  );
}
