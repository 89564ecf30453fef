import type { IncomingMessage } from 'node:http';
import { WandolError } from '../core/errors.js';
import { assertSecretName, assertSecretValue } from '../core/secret-box.js';
import { HttpStatusError } from './error-status.js';
import { readJsonBody } from './http-io.js';
import { appParam } from './request-params.js';
import type { ApiRoute } from './route-table.js';

/** A secret value is at most 64 KiB; its JSON encoding (escapes included) stays well under this. */
const MAX_SECRET_BODY_BYTES = 512 * 1024;

/**
 * The routes of an app's secrets, each mapping to one AgentService call. Values only ever travel
 * inward: no answer and no error message holds one.
 */
export const secretRoutes: readonly ApiRoute[] = [
  {
    method: 'PUT',
    pattern: '/api/v1/apps/:name/secrets/:key',
    handler: async ({ service, params, req }) => {
      const name = appParam(params);
      const key = assertSecretName(params.key ?? '');
      const value = await readSecretValue(req);
      await service.setSecret(name, key, value);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/apps/:name/secrets',
    handler: async ({ service, params }) => ({
      status: 200,
      body: await service.listSecrets(appParam(params)),
    }),
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/apps/:name/secrets/:key',
    handler: async ({ service, params }) => {
      await service.removeSecret(appParam(params), assertSecretName(params.key ?? ''));
      return { status: 204 };
    },
  },
];

/**
 * The `{ "value": "..." }` body of a PUT. Throws USAGE (or 413) with messages that never quote the
 * body: JSON.parse's own message would show the text around the error, that is, the secret.
 */
async function readSecretValue(req: IncomingMessage): Promise<string> {
  let body: unknown;
  try {
    body = await readJsonBody(req, MAX_SECRET_BODY_BYTES);
  } catch (err) {
    if (err instanceof HttpStatusError) throw err;
    throw new WandolError('USAGE', 'the request body is not valid JSON: expected {"value": "<the secret>"}');
  }
  const obj =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const extra = Object.keys(obj).filter((k) => k !== 'value');
  if (typeof obj.value !== 'string' || extra.length > 0) {
    const details = extra.map((k) => `${k.slice(0, 40)}: unknown field (accepted: value)`);
    if (typeof obj.value !== 'string') details.unshift('value: required, a non-empty string');
    throw new WandolError('USAGE', 'invalid request body: expected {"value": "<the secret>"}', { details });
  }
  return assertSecretValue(obj.value);
}
