import { timingSafeEqual } from 'node:crypto';

/**
 * True when the `Authorization` header is `Bearer <token>` with exactly `token`. Contents are compared
 * with crypto.timingSafeEqual on equal-length buffers; a different length fails at once (the length
 * of a random token is no secret). An empty `token` authorizes nothing. Pure.
 */
export function isAuthorized(header: string | undefined, token: string): boolean {
  if (header === undefined || token === '') return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'utf8');
  const expected = Buffer.from(token, 'utf8');
  if (given.length !== expected.length) {
    return false;
  }
  return timingSafeEqual(given, expected);
}

/** Name of the dashboard's session cookie (HttpOnly, SameSite=Strict). */
export const SESSION_COOKIE = 'wandol_session';

/** Header the dashboard sends on every non-GET request made with its cookie (CSRF defence in depth). */
export const CSRF_HEADER = 'x-wandol-request';

/** The port the API server checks dashboard sessions through (implemented in src/dashboard/). */
export interface SessionCheck {
  /** true when `value` is the cookie of a live (unexpired, not logged out) session. Never throws. */
  isValid(value: string): boolean;
}

/** How a request proved who it is: the bearer token, the dashboard cookie, or not at all. */
export type Credential = 'token' | 'session' | 'none';

/**
 * Which credential authorises the request: the bearer token first, else a valid session cookie
 * (when `sessions` is given). Pure apart from the session lookup.
 */
export function credentialOf(
  headers: { authorization?: string | undefined; cookie?: string | undefined },
  token: string,
  sessions?: SessionCheck,
): Credential {
  if (isAuthorized(headers.authorization, token)) return 'token';
  const cookie = readCookie(headers.cookie, SESSION_COOKIE);
  if (sessions && cookie !== undefined && cookie !== '' && sessions.isValid(cookie)) return 'session';
  return 'none';
}

/**
 * true when a cookie-authenticated request may go on: safe methods always; others only with
 * `X-Wandol-Request: 1`, which a cross-site form cannot send (SameSite=Strict is the first defence).
 */
export function passesCsrfCheck(method: string, header: string | string[] | undefined): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  return header === '1';
}

/** The value of cookie `name` in a `Cookie` header (undefined when absent). Pure. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
