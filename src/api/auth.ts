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
