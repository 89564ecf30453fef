import { WandolError } from '../../core/errors.js';
import { hasSignature, signatureHeaderName, verifyWebhook } from './verify-signature.js';
import type { WebhookHeaders, WebhookProvider } from './webhook-provider.js';

/** An app whose own webhook secret may sign a request. */
export interface SecretHolder {
  name: string;
  secret?: string;
}

/** Which configured secrets signed a request: the agent-wide one, and/or these apps' own. */
export interface WebhookAuth {
  global: boolean;
  apps: string[];
}

/** Why a request was refused, for the log (a constant word, never a secret). */
export type RefusalReason = 'no-secret' | 'missing-signature' | 'bad-signature';

/** A 401 UNAUTHORIZED that also carries the reason for the log. */
export class WebhookRefused extends WandolError {
  readonly reason: RefusalReason;

  constructor(reason: RefusalReason, message: string) {
    super('UNAUTHORIZED', message);
    this.reason = reason;
  }
}

const HOW_TO_SET =
  'set one for the agent with `wandol up --webhook-secret-file F` or for an app with ' +
  '`wandol secret set APP WEBHOOK_SECRET`, and give the same secret to the webhook';

/**
 * Checks the request's signature against the global secret and each candidate app's own secret
 * (constant-time comparisons, every secret tried). Returns who signed it; throws WebhookRefused
 * (401 UNAUTHORIZED) when no secret applies (`anyConfigured` says whether one exists at all), when
 * the signature header is missing, or when no secret verifies. Pure.
 */
export function authenticateWebhook(
  provider: WebhookProvider,
  headers: WebhookHeaders,
  rawBody: Buffer,
  globalSecret: string | undefined,
  candidates: readonly SecretHolder[],
  anyConfigured: boolean,
): WebhookAuth {
  const own = candidates.filter((app): app is Required<SecretHolder> => !!app.secret);
  if (!globalSecret && own.length === 0) {
    const what = anyConfigured ? 'no webhook secret applies to this repository' : 'no webhook secret is set';
    throw new WebhookRefused('no-secret', `${what}: ${HOW_TO_SET}`);
  }
  const header = signatureHeaderName(provider);
  if (!hasSignature(provider, headers)) {
    throw new WebhookRefused('missing-signature', `missing ${header} header: give the webhook its secret`);
  }
  const global = !!globalSecret && verifyWebhook(provider, headers, rawBody, globalSecret);
  // Every secret is checked, not only until the first match, so that all apps it proves are known.
  const apps = own.filter((app) => verifyWebhook(provider, headers, rawBody, app.secret)).map((a) => a.name);
  if (!global && apps.length === 0) {
    throw new WebhookRefused(
      'bad-signature',
      `the ${header} header does not match the webhook secret: give the webhook the secret wandol has`,
    );
  }
  return { global, apps };
}
