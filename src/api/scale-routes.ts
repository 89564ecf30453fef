import { MAX_REPLICAS } from '../config/app-spec.js';
import { WandolError } from '../core/errors.js';
import { readJsonBody } from './http-io.js';
import { appParam } from './request-params.js';
import type { ApiRoute } from './route-table.js';

/** Checks the body of `PUT /api/v1/apps/:name/replicas`: `{ replicas: 0..100 }`, nothing else. Throws USAGE. Pure. */
export function parseScaleRequest(body: unknown): { replicas: number } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new WandolError('USAGE', 'the request body must be a JSON object: { "replicas": N }');
  }
  const problems: string[] = [];
  const { replicas, ...rest } = body as Record<string, unknown>;
  if (!(
    typeof replicas === 'number' &&
    Number.isInteger(replicas) &&
    replicas >= 0 &&
    replicas <= MAX_REPLICAS
  ))
    problems.push(`replicas: required, a whole number from 0 to ${MAX_REPLICAS}`);
  for (const key of Object.keys(rest)) problems.push(`${key}: unknown field (accepted: replicas)`);
  if (problems.length > 0) throw new WandolError('USAGE', 'invalid request body', { details: problems });
  return { replicas: replicas as number };
}

/**
 * `PUT /api/v1/apps/:name/replicas` `{ replicas }` → 200 AppStatus through AgentService.scale. A bad
 * body or name answers 400, an unknown app 404, an app under autoscaling 409 (the service's CONFLICT).
 */
export const scaleRoutes: readonly ApiRoute[] = [
  {
    method: 'PUT',
    pattern: '/api/v1/apps/:name/replicas',
    handler: async ({ service, params, req }) => {
      const name = appParam(params);
      const { replicas } = parseScaleRequest(await readJsonBody(req));
      return { status: 200, body: await service.scale(name, replicas) };
    },
  },
];
