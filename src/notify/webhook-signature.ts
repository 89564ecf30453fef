import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature of a generic webhook's body. */
export const SIGNATURE_HEADER = 'x-wandol-signature';

/** `sha256=<hex HMAC-SHA256 of body with secret>`, the value of X-Wandol-Signature. Pure. */
export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * True when `header` is the signature of `body` with `secret` (compared in constant time), as a
 * receiver checks it. False for a missing or malformed header. Pure.
 */
export function verifySignature(body: string | Buffer, header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
