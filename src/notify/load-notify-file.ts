import { readFileSync, statSync } from 'node:fs';
import { notifyField, notifyRules } from '../config/notify-field.js';
import { describeValue, formatProblem, type Problem } from '../config/problem.js';
import { problemsFromIssues } from '../config/zod-problems.js';
import { WandolError } from '../core/errors.js';
import { registerSecret } from '../core/redact.js';
import type { NotifyTarget } from './notify-target.js';

const SHAPE =
  'a JSON list of targets like [{ "type": "discord", "url": "https://discord.com/api/webhooks/…" }] ' +
  '(or { "notify": [ … ] })';

/**
 * Reads the agent-wide notify file (`wandol up --notify-file F`): a JSON list of targets in the
 * shape of wandol.yaml's `notify`, except that `url` is the URL itself for every type and
 * `signingSecret` is the key itself, since the file is the user's own (it must not be readable by
 * others). Registers every URL and key with redact(). Throws USAGE when the file cannot be read or
 * is open to others, INVALID_CONFIG (one detail per problem) when its content is wrong.
 */
export function loadNotifyFile(path: string): NotifyTarget[] {
  const doc = parseJson(path, readPrivate(path));
  const list = Array.isArray(doc) ? doc : isNotifyMapping(doc) ? doc.notify : undefined;
  const prefix = Array.isArray(doc) ? [] : ['notify'];
  if (!Array.isArray(list))
    throw invalid(path, [{ path: [], message: `expected ${SHAPE}, got ${describeValue(doc)}` }]);
  const result = notifyField('file').safeParse(list, { reportInput: true });
  const problems = [
    ...(result.success ? [] : problemsFromIssues(result.error.issues)),
    ...notifyRules(list, 'file'),
  ];
  if (!result.success || problems.length > 0)
    throw invalid(
      path,
      problems.map((p) => ({ ...p, path: [...prefix, ...p.path] })),
    );
  return result.data.map((spec): NotifyTarget => {
    const url = spec.url!; // notifyRules: a file target without url is refused above
    registerSecret(url);
    if (spec.signingSecret !== undefined) registerSecret(spec.signingSecret);
    return {
      type: spec.type,
      url,
      on: spec.on,
      ...(spec.signingSecret === undefined ? {} : { signingSecret: spec.signingSecret }),
    };
  });
}

function readPrivate(path: string): string {
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      const octal = mode.toString(8).padStart(4, '0');
      throw new WandolError(
        'USAGE',
        `the notify file ${path} is open to other users (mode ${octal}) and holds webhook URLs with their tokens: run chmod 600 ${path}`,
      );
    }
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof WandolError) throw err;
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new WandolError(
      'USAGE',
      `cannot read the notify file ${path} (${reason}): check the path and its permissions`,
      {
        cause: err,
      },
    );
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid(path, [
      { path: [], message: `not valid JSON (${(err as Error).message}): expected ${SHAPE}` },
    ]);
  }
}

function isNotifyMapping(doc: unknown): doc is { notify: unknown } {
  return typeof doc === 'object' && doc !== null && Object.keys(doc).length === 1 && 'notify' in doc;
}

function invalid(path: string, problems: Problem[]): WandolError {
  const details = [...new Set(problems.map((p) => formatProblem(path, p)))];
  return new WandolError(
    'INVALID_CONFIG',
    `the notify file ${path} is invalid: ${details.length} problem(s); fix it and run wandol up again`,
    { details },
  );
}
