import { WandolError } from '../../core/errors.js';

/** A JSON object as read from a payload. */
export type Json = Record<string, unknown>;

/** The payload as an object; throws USAGE (400) when it is not a JSON object. */
export function asObject(body: unknown, what: string): Json {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Json;
  throw new WandolError(
    'USAGE',
    `the ${what} payload is not a JSON object: send the provider's push payload`,
  );
}

/** The nested object at `key`, or an empty one when absent or not an object. Pure. */
export function child(obj: Json, key: string): Json {
  const value = obj[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** The non-empty string at `key`, or undefined. Pure. */
export function text(obj: Json, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The non-empty strings at `keys` of `obj`, in that order, without repeats. Pure. */
export function texts(obj: Json, keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const value = text(obj, key);
    if (value !== undefined && !out.includes(value)) out.push(value);
  }
  return out;
}

/** A full commit id: 40 hex digits (SHA-1) or 64 (SHA-256 repositories). */
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/** True for a full commit id. Pure. */
export function isCommitId(value: string | undefined): value is string {
  return value !== undefined && COMMIT.test(value);
}

/** True for the all-zeros id providers send as `after` when a branch was deleted. Pure. */
export function isZeroCommit(value: string): boolean {
  return /^0+$/.test(value);
}

/** What a ref means for wandol: a branch to deploy, or the reason it is ignored. Pure. */
export function classifyRef(ref: string): { branch: string } | { ignored: string } {
  if (ref.startsWith('refs/heads/') && ref.length > 'refs/heads/'.length) {
    return { branch: ref.slice('refs/heads/'.length) };
  }
  if (ref.startsWith('refs/tags/')) return { ignored: `tag push (${ref}): only branches deploy` };
  return { ignored: `push to ${ref}: only branches (refs/heads/…) deploy` };
}

/**
 * Throws USAGE (400) naming every missing field when `missing` is not empty: the payload says push
 * but is not one wandol can read.
 */
export function requireFields(what: string, missing: readonly string[]): void {
  if (missing.length === 0) return;
  throw new WandolError(
    'USAGE',
    `the ${what} push payload lacks ${missing.join(', ')}: send the provider's unmodified push payload`,
    { details: missing.map((field) => `${field}: missing or invalid`) },
  );
}
