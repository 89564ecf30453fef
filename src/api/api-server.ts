import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { AgentService } from './agent-service.js';
import { appRoutes } from './app-routes.js';
import { credentialOf, CSRF_HEADER, passesCsrfCheck, type SessionCheck } from './auth.js';
import { errorResponse, HttpStatusError } from './error-status.js';
import { eventsRoute } from './events-route.js';
import { sendJson } from './http-io.js';
import { logsRoute } from './logs-route.js';
import { routeMatcher, type ApiRoute, type RouteMatch } from './route-table.js';
import { systemRoutes } from './system-routes.js';

/** Options of the API server. */
export interface ApiServerOptions {
  service: AgentService;
  /** The admin token every `/api/` request must present as `Authorization: Bearer <token>`. */
  token: string;
  logger: Logger;
  /** The page served at `/` (a placeholder when absent). */
  dashboardHtml?: string;
  /** More routes (webhooks, metrics…), matched after the built-in ones; `public` skips the token. */
  routes?: readonly ApiRoute[];
  /** Interval of SSE keepalive comments (default 15 s) and of log-follow polling (default 250 ms). */
  sseKeepaliveMs?: number;
  logPollMs?: number;
  /** Dashboard sessions: a valid session cookie then authorises like the token (see auth.ts). */
  sessions?: SessionCheck;
}

/**
 * An http.Server whose close() also ends the long-lived answers (log follows, event streams) and
 * closes keep-alive connections as soon as they carry no request, so that it completes promptly.
 */
class ApiServer extends Server {
  private readonly streams = new Set<() => void>();
  /** In-flight requests per open connection. */
  private readonly sockets = new Map<Socket, number>();
  private closing = false;

  constructor(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    super(handler);
    this.on('connection', (socket: Socket) => {
      this.sockets.set(socket, 0);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket;
      this.sockets.set(socket, (this.sockets.get(socket) ?? 0) + 1);
      res.once('close', () => {
        const left = (this.sockets.get(socket) ?? 1) - 1;
        this.sockets.set(socket, left);
        if (this.closing && left === 0) socket.end();
      });
    });
  }

  track(end: () => void): () => void {
    this.streams.add(end);
    return () => this.streams.delete(end);
  }

  override close(callback?: (err?: Error) => void): this {
    this.closing = true;
    super.close(callback);
    for (const end of [...this.streams]) end();
    this.streams.clear();
    for (const [socket, inFlight] of this.sockets) if (inFlight === 0) socket.destroy();
    return this;
  }
}

/**
 * Creates the HTTP API server (not listening: the caller listens, on 127.0.0.1 by default). Every
 * route under `/api/` needs the bearer token unless marked public; errors are answered as
 * ApiErrorBody with the status of error-status.ts. close() ends streaming answers too.
 */
export function createApiServer(opts: ApiServerOptions): Server {
  const routes = [
    ...systemRoutes(opts.dashboardHtml),
    ...appRoutes,
    logsRoute(opts.logPollMs),
    eventsRoute(opts.sseKeepaliveMs),
    ...(opts.routes ?? []),
  ];
  const match = routeMatcher(routes);
  const logger = opts.logger;
  const server: ApiServer = new ApiServer((req, res) => {
    const started = Date.now();
    res.on('finish', () => {
      logger.debug('Request', {
        method: req.method,
        path: pathOf(req),
        status: res.statusCode,
        ms: Date.now() - started,
      });
    });
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
      const found = match(req.method ?? 'GET', path);
      authorize(found, path, req, opts.token, opts.sessions);
      const { route, params } = routed(found, res, req.method ?? 'GET', path);
      const track = (end: () => void): (() => void) => server.track(end);
      const ctx = { req, res, params, query: url.searchParams, service: opts.service, logger, track };
      const reply = await route.handler(ctx);
      if (reply) sendJson(res, reply.status, reply.body);
    } catch (err) {
      answerError(err, req, res, logger);
    }
  }
  return server;
}

function authorize(
  found: RouteMatch,
  path: string,
  req: IncomingMessage,
  token: string,
  sessions: SessionCheck | undefined,
): void {
  const open = found.kind === 'found' ? found.route.public === true : !path.startsWith('/api/');
  if (open) return;
  const credential = credentialOf(req.headers, token, sessions);
  if (credential === 'token') return;
  if (credential === 'session') {
    if (passesCsrfCheck(req.method ?? 'GET', req.headers[CSRF_HEADER])) {
      const tokenOnly = found.kind === 'found' ? found.route.tokenOnly : undefined;
      if (tokenOnly !== undefined) throw new HttpStatusError(403, 'UNAUTHORIZED', tokenOnly);
      return;
    }
    throw new HttpStatusError(
      403,
      'UNAUTHORIZED',
      'a request authorised by the dashboard cookie must send the header "X-Wandol-Request: 1"',
    );
  }
  throw new WandolError(
    'UNAUTHORIZED',
    'missing or wrong API token: send "Authorization: Bearer <token>" with the token from agent.json in the data dir',
  );
}

function routed(
  found: RouteMatch,
  res: ServerResponse,
  method: string,
  path: string,
): { route: ApiRoute; params: Record<string, string> } {
  if (found.kind === 'found') return found;
  if (found.kind === 'method-not-allowed') {
    res.setHeader('allow', found.allowed.join(', '));
    throw new HttpStatusError(
      405,
      'USAGE',
      `${method} is not allowed on ${path} (allowed: ${found.allowed.join(', ')})`,
    );
  }
  throw new WandolError('NOT_FOUND', `no such API route: ${method} ${path}`);
}

function answerError(err: unknown, req: IncomingMessage, res: ServerResponse, logger: Logger): void {
  if (res.headersSent) {
    // A stream broke after its first bytes: nothing to answer any more, only to close.
    logger.warn('Streaming answer failed', { path: pathOf(req), err });
    res.destroy();
    return;
  }
  const { status, body } = errorResponse(err, logger);
  if (status === 401) res.setHeader('www-authenticate', 'Bearer');
  sendJson(res, status, body);
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}
