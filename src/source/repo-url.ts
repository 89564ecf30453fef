import { isAbsolute, resolve } from 'node:path';
import { redact, registerSecret } from '../core/redact.js';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** git's scp-like ssh syntax: `[user@]host:path`, a colon before any slash. */
const SCP_LIKE = /^[^/]+:/;
/** A username this long is a token used as the username (`https://<token>@host/...`). */
const TOKEN_LENGTH = 20;

/**
 * Normalises a repository address for git: URLs (`https://`, `ssh://`, `file://`) and scp-like
 * `git@host:path` stay as they are; a local path becomes absolute (git would read a relative one
 * against the mirror). Credentials in a URL are registered with `redact`. Never throws.
 */
export function normaliseRepoUrl(url: string, cwd = process.cwd()): string {
  const trimmed = url.trim();
  if (SCHEME.test(trimmed)) {
    registerUrlCredentials(trimmed);
    return trimmed;
  }
  if (SCP_LIKE.test(trimmed)) return trimmed;
  return isAbsolute(trimmed) ? trimmed : resolve(cwd, trimmed);
}

/** The address as it may be shown to people: credentials replaced by `***`. */
export function displayUrl(url: string): string {
  return redact(url);
}

function registerUrlCredentials(url: string): void {
  try {
    const parsed = new URL(url);
    const secrets =
      parsed.password !== ''
        ? [parsed.password]
        : parsed.username.length >= TOKEN_LENGTH
          ? [parsed.username]
          : [];
    for (const secret of secrets) {
      registerSecret(secret);
      registerSecret(decodeURIComponent(secret));
    }
  } catch {
    // Not a URL the WHATWG parser understands (ssh://host:path): redact() still hides user:pass@.
  }
}
