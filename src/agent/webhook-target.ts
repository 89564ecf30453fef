import { readFileSync } from 'node:fs';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { registerSecret } from '../core/redact.js';
import type { WebhookTarget } from '../source/webhooks/webhook-routes.js';
import type { AppStore } from '../store/app-store.js';
import type { SecretStore } from '../store/secret-store.js';
import type { AppController } from '../sync/app-controller.js';

/** The secret name that holds an app's own webhook secret (never injected into its env). */
export const WEBHOOK_SECRET = 'WEBHOOK_SECRET';

/** Reads `--webhook-secret-file` once (trimmed). Throws USAGE when it is unreadable or empty. */
export function readWebhookSecret(file: string | undefined): string | undefined {
  if (!file) return undefined;
  let value: string;
  try {
    value = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new WandolError(
      'USAGE',
      `cannot read the webhook secret file ${file}: check the path and its permissions`,
      { cause: err },
    );
  }
  if (!value)
    throw new WandolError(
      'USAGE',
      `the webhook secret file ${file} is empty: put a long random string in it`,
    );
  registerSecret(value);
  return value;
}

/** What the webhook routes need from the agent: the registered apps, their secrets, and a trigger. */
export function webhookTarget(opts: {
  globalSecret: string | undefined;
  apps: AppStore;
  secrets: SecretStore;
  controllers: Map<string, AppController>;
  logger: Logger;
}): WebhookTarget {
  return {
    globalSecret: () => opts.globalSecret,
    apps: async () =>
      opts.apps.list().map((app) => ({
        name: app.name,
        repo: app.repo,
        branch: app.branch,
        secret: opts.secrets.values(app.name)[WEBHOOK_SECRET],
      })),
    trigger: async (names) => {
      await Promise.all(names.map((name) => opts.controllers.get(name)?.onPush()));
    },
  };
}
