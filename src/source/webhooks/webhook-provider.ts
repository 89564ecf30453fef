import type { IncomingHttpHeaders } from 'node:http';
import type { PushEvent } from '../../api/wire.js';

/** The webhook formats wandol understands; Forgejo speaks Gitea's. */
export type WebhookProvider = PushEvent['provider'];

/** Every provider, in the order their routes are mounted. */
export const WEBHOOK_PROVIDERS: readonly WebhookProvider[] = ['github', 'gitlab', 'gitea'];

/** Request headers as Node gives them (names lower-cased). */
export type WebhookHeaders = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

/**
 * The first value of the first present header among `names` (lower-case), trimmed; undefined when
 * none is present or the value is empty. Pure.
 */
export function headerValue(headers: WebhookHeaders, ...names: string[]): string | undefined {
  for (const name of names) {
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) return value;
  }
  return undefined;
}
