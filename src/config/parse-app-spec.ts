import type { AppSpec } from './app-spec.js';
import { APP_SPEC_KEYS, appSpecSchema } from './app-spec-schema.js';
import { crossFieldProblems } from './cross-field-rules.js';
import { describeValue, invalidConfig, type Problem } from './problem.js';
import { readYaml } from './read-yaml.js';
import { problemsFromIssues } from './zod-problems.js';

/**
 * Parses and validates a wandol.yaml into a normalised AppSpec (defaults applied, durations in ms,
 * CPU in millicores, memory in bytes). Pure. Throws INVALID_CONFIG whose details list every
 * problem, each as `<file>: <key.path>: <what is wrong and what is accepted>`.
 */
export function parseAppSpec(text: string, file = 'wandol.yaml'): AppSpec {
  const doc = withoutNulls(readYaml(text, file) ?? {});
  if (!isMapping(doc)) {
    const message = `expected a mapping of keys (${APP_SPEC_KEYS.join(', ')}), got ${describeValue(doc)}`;
    throw invalidConfig(file, [{ path: [], message }]);
  }
  const result = appSpecSchema.safeParse(doc, { reportInput: true });
  const problems = [
    ...(result.success ? [] : problemsFromIssues(result.error.issues)),
    ...crossFieldProblems(doc),
  ];
  if (!result.success || problems.length > 0) throw invalidConfig(file, inFileOrder(problems));
  return result.data;
}

/** Problems grouped by top-level key in the order of the spec (unknown keys last); stable. */
function inFileOrder(problems: Problem[]): Problem[] {
  const rank = (p: Problem): number => {
    const index = APP_SPEC_KEYS.indexOf(String(p.path[0]));
    return index < 0 ? APP_SPEC_KEYS.length : index;
  };
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * YAML's `key:` with no value is null; like Kubernetes, treat it as absent. Under `env` an empty
 * value stays (it means the empty string).
 */
function withoutNulls(doc: unknown): unknown {
  const out = dropNulls(doc);
  if (isMapping(doc) && isMapping(out) && isMapping(doc.env)) out.env = dropNulls(doc.env, true);
  return out;
}

function dropNulls(value: unknown, keepOwnNulls = false): unknown {
  if (Array.isArray(value)) return value.map((v) => dropNulls(v));
  if (!isMapping(value)) return value;
  const kept = Object.entries(value).filter(([, v]) => keepOwnNulls || v !== null);
  return Object.fromEntries(kept.map(([k, v]) => [k, dropNulls(v)]));
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
