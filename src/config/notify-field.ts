import { z } from 'zod';
import type { NotifyKind, NotifySpec, NotifyType } from './app-spec.js';
import { ENV_NAME } from './fields.js';
import type { Problem } from './problem.js';
import { leaf, list, oneOf, oneOfText, requiredLeaf, strict, type LeafParser } from './schema-kit.js';

/** The notification kinds, in the order messages list them (and the default of `on`). */
export const NOTIFY_KINDS: readonly NotifyKind[] = [
  'started',
  'succeeded',
  'failed',
  'rolledBack',
  'degraded',
];
/** The notification target types, in the order messages list them. */
export const NOTIFY_TYPES: readonly NotifyType[] = ['discord', 'slack', 'webhook'];

/**
 * Where a notify list is read from: `app` is wandol.yaml (in git, so tokens only by secret name),
 * `file` is the agent's own notify file (mode 0600, so URLs and signing keys are written as such).
 */
export type NotifySource = 'app' | 'file';

const URL_TEXT = 'an http:// or https:// URL';
const SECRET_NAME_TEXT =
  'a secret name of letters, digits and _ (not starting with a digit), set with `wandol secret set APP NAME`';

/** An absolute http(s) URL with a host, trimmed. */
const httpUrl: LeafParser<string> = (value) => {
  if (typeof value !== 'string' || /\s/.test(value.trim())) return undefined;
  try {
    const url = new URL(value.trim());
    return ['http:', 'https:'].includes(url.protocol) && url.hostname !== '' ? value.trim() : undefined;
  } catch {
    return undefined;
  }
};

const secretName: LeafParser<string> = (value) =>
  typeof value === 'string' && ENV_NAME.test(value) ? value : undefined;

/** A signing key written as such (notify file): never echoed back in a message. */
const signingKey = () =>
  z
    .unknown()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || (typeof value === 'string' && value.trim() !== '')) return value;
      ctx.issues.push({
        code: 'custom',
        message: 'expected a non-empty string (the signing key)',
        input: '',
      });
      return z.NEVER;
    });

const kinds = () =>
  list(requiredLeaf(oneOfText(NOTIFY_KINDS), oneOf(NOTIFY_KINDS)))
    .min(1, `expected a list of one or more of ${NOTIFY_KINDS.map((k) => JSON.stringify(k)).join(', ')}`)
    .optional()
    .transform((on) => (on === undefined ? [...NOTIFY_KINDS] : [...new Set(on)]));

/** One `notify` entry, field by field (rules between fields: notifyRules). */
function entry(source: NotifySource) {
  const common = {
    type: requiredLeaf(oneOfText(NOTIFY_TYPES), oneOf(NOTIFY_TYPES)),
    url: leaf(URL_TEXT, httpUrl),
  };
  const shape =
    source === 'app'
      ? {
          ...common,
          urlSecret: leaf(SECRET_NAME_TEXT, secretName),
          signingSecret: leaf(SECRET_NAME_TEXT, secretName),
          on: kinds(),
        }
      : { ...common, signingSecret: signingKey(), on: kinds() };
  return strict(shape).transform((e): NotifySpec => {
    const out: NotifySpec = { type: e.type, on: e.on };
    if (e.url !== undefined) out.url = e.url;
    if ('urlSecret' in e && e.urlSecret !== undefined) out.urlSecret = e.urlSecret;
    if (typeof e.signingSecret === 'string') out.signingSecret = e.signingSecret;
    return out;
  });
}

/**
 * A `notify` list: where deploy and health notifications go. Absent → []. Field problems only;
 * pair it with notifyRules for the rules between fields (exactly one of url/urlSecret...).
 */
export const notifyField = (source: NotifySource = 'app') => list(entry(source)).default([]);

/**
 * The rules between the fields of each raw `notify` entry, with paths relative to the list
 * (`[1, 'url']`). Silent on entries that are not mappings (they get their own message). Pure.
 */
export function notifyRules(raw: unknown, source: NotifySource): Problem[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown, i): Problem[] => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return [];
    return entryRules(item as Record<string, unknown>, source).map((p) => ({ ...p, path: [i, ...p.path] }));
  });
}

function entryRules(e: Record<string, unknown>, source: NotifySource): Problem[] {
  const problems: Problem[] = [];
  const hasUrl = e.url !== undefined;
  const hasSecret = source === 'app' && e.urlSecret !== undefined;
  if (hasUrl && hasSecret) problems.push({ path: [], message: 'set url or urlSecret, not both' });
  if (!hasUrl && !hasSecret) problems.push({ path: [], message: missingUrlMessage(e.type, source) });
  if (source === 'app' && hasUrl && (e.type === 'discord' || e.type === 'slack')) {
    const message =
      `a ${label(e.type)} webhook URL holds its token and wandol.yaml is in git: store the URL as a ` +
      'secret (`wandol secret set APP NAME`) and give its name in urlSecret';
    problems.push({ path: ['url'], message });
  }
  if (e.signingSecret !== undefined && (e.type === 'discord' || e.type === 'slack')) {
    const message = `only for type webhook (${label(e.type)} URLs carry their own token)`;
    problems.push({ path: ['signingSecret'], message });
  }
  return problems;
}

function missingUrlMessage(type: unknown, source: NotifySource): string {
  if (source === 'file') return 'needs url (the webhook URL itself: this file is yours, mode 0600)';
  if (type === 'discord' || type === 'slack')
    return `needs urlSecret: the name of a secret holding the ${label(type)} webhook URL (\`wandol secret set APP NAME\`)`;
  return 'needs url (the webhook URL) or urlSecret (the name of a secret holding it)';
}

function label(type: 'discord' | 'slack'): string {
  return type === 'discord' ? 'Discord' : 'Slack';
}
