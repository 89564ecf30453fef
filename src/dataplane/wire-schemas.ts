import { z } from 'zod';
import { WandolError } from '../core/errors.js';
import type { RouteSpec } from '../router/route.js';
import type { InstanceSpec } from '../runtimes/runtime.js';

const endpoint = z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) });

const instanceSpec = z.object({
  id: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,251}[a-z0-9])?$/),
  app: z.string().min(1),
  releaseId: z.number().int(),
  revision: z.string(),
  slot: z.string(),
  workdir: z.string().min(1),
  command: z.string().optional(),
  image: z.string().optional(),
  port: z.number().int().optional(),
  env: z.record(z.string(), z.string()),
  resources: z.object({ cpuMillis: z.number().optional(), memoryBytes: z.number().optional() }),
  volumes: z.array(z.object({ name: z.string(), mountPath: z.string() })),
  terminationGracePeriodMs: z.number().min(0),
  logFile: z.string().min(1),
});

const routeSpec = z.object({
  app: z.string().min(1),
  port: z.number().int().min(1).max(65535).optional(),
  host: z.string().min(1).optional(),
  targets: z.array(
    z.object({ instanceId: z.string().min(1), releaseId: z.number().int(), endpoint: endpoint }),
  ),
});

/** Checks a `POST /v1/instances` body. Throws WandolError USAGE listing every bad field. */
export function parseInstanceSpec(body: unknown): InstanceSpec {
  return parse(instanceSpec, body, 'instance spec');
}

/** Checks a `PUT /v1/routes/:app` body; its `app` defaults to the path's and must match it. */
export function parseRouteSpec(body: unknown, app: string): RouteSpec {
  const withApp = typeof body === 'object' && body !== null ? { app, ...body } : body;
  const spec = parse(routeSpec, withApp, 'route spec');
  if (spec.app !== app) {
    throw new WandolError(
      'USAGE',
      `route spec names app ${spec.app} but was sent for ${app}: send it to its own path`,
    );
  }
  return spec;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new WandolError('USAGE', `invalid ${what}: fix the fields listed in details`, { details });
}
