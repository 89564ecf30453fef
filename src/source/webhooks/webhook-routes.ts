import type { ApiRoute, Reply, RequestContext } from '../../api/route-table.js';
import type { PushEvent } from '../../api/wire.js';
import { WandolError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { parseWebhook, type ParsedWebhook } from './parse-push.js';
import { repoKey, repoMatches } from './repo-key.js';
import { authenticateWebhook, WebhookRefused, type WebhookAuth } from './webhook-auth.js';
import { readRawBody } from '../../api/http-io.js';
import { decodePayload, MAX_WEBHOOK_BYTES } from './webhook-body.js';
import { WEBHOOK_PROVIDERS, type WebhookProvider } from './webhook-provider.js';

/** A registered app as the webhook routes see it. */
export interface WebhookApp {
  name: string;
  repo: string;
  branch: string;
  secret?: string;
}

/** What the webhook routes need from the agent. */
export interface WebhookTarget {
  /** The agent-wide secret from `wandol up --webhook-secret-file`, if any. */
  globalSecret(): string | undefined;
  /** Registered apps: name, repo (as registered), branch, and the app's own webhook secret if it has one. */
  apps(): Promise<WebhookApp[]>;
  /** Fetch now and deploy the pushed commit for these apps (trigger 'webhook'); resolves once queued. */
  trigger(apps: string[], push: PushEvent): Promise<void>;
}

/**
 * `POST /api/v1/webhooks/{github,gitlab,gitea}`, public (the signature is the credential). Answers
 * 413 over 1 MiB, 400 on bad JSON or an unreadable push, 401 unless a configured secret signed the
 * body, 200 `{pong: true}` to a ping, 202 `{ignored}` to other events, tags and deleted branches, and
 * 202 `{apps}` once the matching apps (repo and branch) are queued. Nothing is triggered unverified.
 */
export function webhookRoutes(target: WebhookTarget): ApiRoute[] {
  return WEBHOOK_PROVIDERS.map((provider) => ({
    method: 'POST' as const,
    pattern: `/api/v1/webhooks/${provider}`,
    public: true,
    handler: (ctx: RequestContext) => handleWebhook(provider, target, ctx),
  }));
}

async function handleWebhook(
  provider: WebhookProvider,
  target: WebhookTarget,
  ctx: RequestContext,
): Promise<Reply> {
  const raw = await readRawBody(ctx.req, MAX_WEBHOOK_BYTES);
  const parsed = parseOrError(provider, ctx, raw);
  const push = !(parsed instanceof WandolError) && parsed.kind === 'push' ? parsed.push : undefined;
  const repo = push ? repoKey(push.repository[0] ?? '') : null;
  const log = ctx.logger.child({ provider, repo, branch: push?.branch ?? null });
  // The apps are read before verification only to know which secrets to try.
  const apps = await target.apps();
  const candidates = push ? apps.filter((app) => repoMatches(app.repo, push.repository)) : apps;
  const auth = authenticate(provider, target, ctx, raw, candidates, apps, log);
  if (parsed instanceof WandolError) throw parsed;
  if (parsed.kind === 'ping') {
    log.info('Webhook ping');
    return { status: 200, body: { pong: true } };
  }
  if (parsed.kind === 'ignored') return ignore(parsed.reason, log);
  if (parsed.push.deleted) return ignore(`branch ${parsed.push.branch} was deleted`, log);
  const names = candidates
    .filter((app) => app.branch === parsed.push.branch && (auth.global || auth.apps.includes(app.name)))
    .map((app) => app.name);
  if (names.length > 0) await target.trigger(names, parsed.push);
  log.info('Webhook push', { apps: names });
  return { status: 202, body: { apps: names } };
}

/** The parsed webhook, or the USAGE error to answer once the signature proved the sender. */
function parseOrError(
  provider: WebhookProvider,
  ctx: RequestContext,
  raw: Buffer,
): ParsedWebhook | WandolError {
  try {
    return parseWebhook(provider, ctx.req.headers, decodePayload(raw, ctx.req.headers['content-type']));
  } catch (err) {
    if (err instanceof WandolError && err.code === 'USAGE') return err;
    throw err;
  }
}

/** Who signed the request; logs and rethrows the 401 otherwise. */
function authenticate(
  provider: WebhookProvider,
  target: WebhookTarget,
  ctx: RequestContext,
  raw: Buffer,
  candidates: readonly WebhookApp[],
  apps: readonly WebhookApp[],
  log: Logger,
): WebhookAuth {
  const anyConfigured = apps.some((app) => !!app.secret);
  try {
    return authenticateWebhook(
      provider,
      ctx.req.headers,
      raw,
      target.globalSecret(),
      candidates,
      anyConfigured,
    );
  } catch (err) {
    if (err instanceof WebhookRefused) log.warn('Webhook refused', { reason: err.reason });
    throw err;
  }
}

function ignore(reason: string, log: Logger): Reply {
  log.info('Webhook ignored');
  return { status: 202, body: { ignored: reason } };
}
