import type { Server } from 'node:http';
import { createApiServer } from '../../api/api-server.js';
import { FakeAgentService } from '../../api/fake-agent-service.js';
import type { PushEvent } from '../../api/wire.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { signWebhook } from './verify-signature.js';
import type { WebhookProvider } from './webhook-provider.js';
import { webhookRoutes, type WebhookApp, type WebhookTarget } from './webhook-routes.js';

/**
 * A stand-in for the agent in the webhook route tests: it records triggers instead of deploying.
 * The agent's own WebhookTarget (fetch, release, deploy) is tested end to end elsewhere.
 */
export class RecordingTarget implements WebhookTarget {
  secret: string | undefined;
  list: WebhookApp[] = [];
  readonly triggers: { apps: string[]; push: PushEvent }[] = [];

  globalSecret(): string | undefined {
    return this.secret;
  }
  async apps(): Promise<WebhookApp[]> {
    return this.list.map((app) => ({ ...app }));
  }
  async trigger(apps: string[], push: PushEvent): Promise<void> {
    this.triggers.push({ apps, push });
  }
}

/** The API server with the webhook routes mounted, listening on 127.0.0.1, and how to reach it. */
export interface WebhookServer {
  server: Server;
  target: RecordingTarget;
  /** POSTs `body` to the provider's webhook route with these headers (no API token). */
  post(provider: WebhookProvider, body: Buffer | string, headers: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** Starts createApiServer (FakeAgentService, token 'x') with webhookRoutes(target) on a free port. */
export async function startWebhookServer(logger: Logger = silentLogger): Promise<WebhookServer> {
  const target = new RecordingTarget();
  const server = createApiServer({
    service: new FakeAgentService(),
    token: 'x',
    logger,
    routes: webhookRoutes(target),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    server,
    target,
    post: (provider, body, headers) =>
      fetch(`${base}/api/v1/webhooks/${provider}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The signature header of `body` signed with `secret`, as a header record. */
export function signed(
  provider: WebhookProvider,
  body: Buffer | string,
  secret: string,
): Record<string, string> {
  const [name, value] = signWebhook(provider, Buffer.from(body), secret);
  return { [name]: value };
}

/** The `error` of an ApiErrorBody answer. */
export async function apiError(res: Response): Promise<{ code: string; message: string; details: string[] }> {
  return ((await res.json()) as { error: { code: string; message: string; details: string[] } }).error;
}
