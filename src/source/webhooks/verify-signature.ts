import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { headerValue, type WebhookHeaders, type WebhookProvider } from './webhook-provider.js';

/** The header that carries each provider's signature (Forgejo also sends x-forgejo-signature). */
export const SIGNATURE_HEADERS: Readonly<Record<WebhookProvider, readonly string[]>> = {
  github: ['x-hub-signature-256'],
  gitlab: ['x-gitlab-token'],
  gitea: ['x-gitea-signature', 'x-forgejo-signature'],
};

/** The header name to show people (in 401 messages) for a provider. */
export function signatureHeaderName(provider: WebhookProvider): string {
  return { github: 'X-Hub-Signature-256', gitlab: 'X-Gitlab-Token', gitea: 'X-Gitea-Signature' }[provider];
}

/** True when the request carries the provider's signature header at all (it may still be wrong). Pure. */
export function hasSignature(provider: WebhookProvider, headers: WebhookHeaders): boolean {
  return headerValue(headers, ...SIGNATURE_HEADERS[provider]) !== undefined;
}

/**
 * True when `rawBody` is signed with `secret` the way `provider` signs it: GitHub
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`, Gitea/Forgejo `X-Gitea-Signature: <hex>`, GitLab
 * `X-Gitlab-Token: <secret>`. Comparisons run in constant time on equal-length digests. An empty
 * secret, a missing header or a malformed one is false. Pure; never throws.
 */
export function verifyWebhook(
  provider: WebhookProvider,
  headers: WebhookHeaders,
  rawBody: Buffer,
  secret: string,
): boolean {
  if (secret === '') return false;
  const given = headerValue(headers, ...SIGNATURE_HEADERS[provider]);
  if (given === undefined) return false;
  if (provider === 'gitlab') return sameToken(given, secret);
  const hex = provider === 'github' ? /^sha256=([0-9a-f]{64})$/i.exec(given)?.[1] : given;
  if (hex === undefined || !/^[0-9a-f]{64}$/i.test(hex)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}

/** Signs `rawBody` as `provider` would: the header name and value to send. For tests and tools. Pure. */
export function signWebhook(provider: WebhookProvider, rawBody: Buffer, secret: string): [string, string] {
  const hex = createHmac('sha256', secret).update(rawBody).digest('hex');
  if (provider === 'github') return ['x-hub-signature-256', `sha256=${hex}`];
  if (provider === 'gitea') return ['x-gitea-signature', hex];
  return ['x-gitlab-token', secret];
}

/** A per-process key: the token comparison hashes both sides so that lengths leak nothing. */
const TOKEN_KEY = randomBytes(32);

/** Compares two plain tokens in constant time by comparing their HMAC digests (always 32 bytes). */
function sameToken(given: string, secret: string): boolean {
  const digest = (value: string): Buffer => createHmac('sha256', TOKEN_KEY).update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret));
}
