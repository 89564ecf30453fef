import type { IncomingMessage } from 'node:http';
import { WandolError } from '../core/errors.js';
import type { RouterControl } from '../router/route.js';
import type { Instance, InstanceSpec } from '../runtimes/runtime.js';
import type { DataplaneHealth } from './control-protocol.js';
import { readJson } from './http-json.js';
import { parseInstanceSpec, parseRouteSpec } from './wire-schemas.js';

/** What the control socket needs of the supervisor (the Supervisor class has this shape). */
export interface InstanceHost {
  start(spec: InstanceSpec): Promise<Instance>;
  stop(id: string): Promise<void>;
  get(id: string): Instance | undefined;
  list(app?: string): Instance[];
  forget(id: string): Promise<void>;
}

/** What the routes act on. */
export interface ControlDeps {
  router: RouterControl;
  supervisor: InstanceHost;
  health(): DataplaneHealth;
  /** Called after `POST /v1/shutdown` was answered. */
  shutdown(): void;
}

/** An answer: a status and a JSON body (none for 202/204). */
export interface Reply {
  status: number;
  body?: unknown;
  /** Runs once the answer is sent (shutdown answers 202 first, then shuts down). */
  after?: () => void;
}

type Handler = (deps: ControlDeps, param: string, req: IncomingMessage, url: URL) => Promise<Reply>;

const ok = (body: unknown): Reply => ({ status: 200, body });
const noContent: Reply = { status: 204 };

const notFound = (what: string): WandolError =>
  new WandolError('NOT_FOUND', `${what} not found: list what exists with GET /v1/instances or /v1/routes`);

/** Method, path pattern (one optional `([^/]+)` parameter) and handler of every route. */
const ROUTES: [string, RegExp, Handler][] = [
  ['GET', /^\/v1\/health$/, async (d) => ok(d.health())],
  ['GET', /^\/v1\/routes$/, async (d) => ok(await d.router.routes())],
  [
    'PUT',
    /^\/v1\/routes\/([^/]+)$/,
    async (d, app, req) => {
      await d.router.setRoute(parseRouteSpec(await readJson(req), app));
      return noContent;
    },
  ],
  ['DELETE', /^\/v1\/routes\/([^/]+)$/, async (d, app) => (await d.router.removeRoute(app), noContent)],
  [
    'GET',
    /^\/v1\/traffic\/([^/]+)$/,
    async (d, app) => {
      const traffic = await d.router.traffic(app);
      if (!traffic) throw notFound(`route of app ${app}`);
      return ok(traffic);
    },
  ],
  [
    'POST',
    /^\/v1\/instances$/,
    async (d, _p, req) => ok(await d.supervisor.start(parseInstanceSpec(await readJson(req)))),
  ],
  [
    'GET',
    /^\/v1\/instances$/,
    async (d, _p, _r, url) => ok(d.supervisor.list(url.searchParams.get('app') ?? undefined)),
  ],
  [
    'GET',
    /^\/v1\/instances\/([^/]+)$/,
    async (d, id) => {
      const instance = d.supervisor.get(id);
      if (!instance) throw notFound(`instance ${id}`);
      return ok(instance);
    },
  ],
  ['DELETE', /^\/v1\/instances\/([^/]+)$/, async (d, id) => (await d.supervisor.stop(id), noContent)],
  ['POST', /^\/v1\/instances\/([^/]+)\/forget$/, async (d, id) => (await d.supervisor.forget(id), noContent)],
  ['POST', /^\/v1\/shutdown$/, async (d) => ({ status: 202, after: () => d.shutdown() })],
];

/** Runs the route matching the request. Throws WandolError (NOT_FOUND for an unknown route). */
export async function route(deps: ControlDeps, req: IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://dataplane');
  for (const [method, pattern, handler] of ROUTES) {
    const match = pattern.exec(url.pathname);
    if (!match || req.method !== method) continue;
    return handler(deps, decodeURIComponent(match[1] ?? ''), req, url);
  }
  throw new WandolError('NOT_FOUND', `no route ${req.method ?? ''} ${url.pathname} on the data-plane socket`);
}
