import type { ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../core/clock.js';
import { LOGIN_FAILED_HTML } from '../dashboard/pages.js';
import { dashboardHtml, DEFAULT_UI_DIR, readAsset } from '../dashboard/static-files.js';
import { readCookie, SESSION_COOKIE, type SessionCheck } from './auth.js';
import { HttpStatusError } from './error-status.js';
import { sendText } from './http-io.js';
import { appParam, intQuery } from './request-params.js';
import type { ApiRoute, RequestContext } from './route-table.js';
import type { LoginCode, MetricPoint, MetricSeries } from './wire.js';

/** The dashboard's logins, as the routes use them (src/dashboard/sessions.ts implements it). */
export interface LoginSessions extends SessionCheck {
  /** A one-time login code. */
  createCode(): LoginCode;
  /** Consumes a code; the new session's cookie value, or undefined for a bad, used or expired code. */
  redeem(code: string): string | undefined;
  /** Ends a session. Idempotent. */
  revoke(value: string): void;
  /** Ends every session; returns how many there were. */
  revokeAll(): number;
  readonly sessionTtlMs: number;
}

/** The stored figures, as the metrics route reads them (src/store/metric-store.ts implements it). */
export interface MetricReader {
  list(app: string, since: number): MetricPoint[];
  rollup(app: string, since: number, stepMs: number): MetricPoint[];
  count(app: string, since: number): number;
}

/** What the dashboard routes need. */
export interface DashboardRoutesOptions {
  sessions: LoginSessions;
  store: MetricReader;
  /** The sampler's interval (default 10 s). */
  intervalMs?: number;
  /** The built UI (default: ui/dist of this package). */
  uiDir?: string;
  clock?: Clock;
}

/** Most points one metrics answer holds: beyond, points are averaged into wider steps. */
export const MAX_METRIC_POINTS = 720;
const DEFAULT_RANGE_MS = 60 * 60 * 1000;

/**
 * The dashboard's routes: `POST /api/v1/login-codes` (token only), `GET /login?code=` (public: sets
 * the session cookie and redirects to `/`), `POST /api/v1/logout`, `DELETE /api/v1/sessions` (token
 * only: logs every browser out), `GET /api/v1/apps/:name/metrics`,
 * and the built UI: `/assets/:file` and the page at `/apps/:name` (the page at `/` is the api
 * server's `dashboardHtml`, see dashboardHtml()). The pages are public: they hold no data.
 */
export function dashboardRoutes(opts: DashboardRoutesOptions): ApiRoute[] {
  const uiDir = opts.uiDir ?? DEFAULT_UI_DIR;
  const page: ApiRoute['handler'] = async ({ res }) => {
    sendHtml(res, 200, dashboardHtml(uiDir));
    return undefined;
  };
  return [
    {
      method: 'POST',
      pattern: '/api/v1/login-codes',
      tokenOnly: 'login codes are made with the API token: run `wandol dashboard`',
      handler: async () => ({ status: 201, body: opts.sessions.createCode() }),
    },
    { method: 'GET', pattern: '/login', public: true, handler: async (ctx) => login(ctx, opts.sessions) },
    {
      method: 'DELETE',
      pattern: '/api/v1/sessions',
      tokenOnly: 'every session is ended with the API token: run `wandol dashboard --logout-all`',
      handler: async () => ({ status: 200, body: { revoked: opts.sessions.revokeAll() } }),
    },
    {
      method: 'POST',
      pattern: '/api/v1/logout',
      handler: async ({ req, res }) => {
        const value = readCookie(req.headers.cookie, SESSION_COOKIE);
        if (value) opts.sessions.revoke(value);
        res.writeHead(204, { 'set-cookie': sessionCookie('', 0), 'cache-control': 'no-store' }).end();
        return undefined;
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/apps/:name/metrics',
      handler: async ({ service, params, query }) => {
        const name = appParam(params);
        await service.status(name); // NOT_FOUND for an unknown app
        const now = (opts.clock ?? systemClock).now();
        const since = intQuery(query, 'since', now - DEFAULT_RANGE_MS, 0, Number.MAX_SAFE_INTEGER);
        return { status: 200, body: metricSeries(opts.store, name, since, now, opts.intervalMs ?? 10_000) };
      },
    },
    {
      method: 'GET',
      pattern: '/assets/:file',
      public: true,
      handler: async ({ res, params }) => {
        const asset = await readAsset(uiDir, params.file ?? '');
        if (!asset) throw new HttpStatusError(404, 'NOT_FOUND', 'no such dashboard file');
        res.writeHead(200, {
          'content-type': asset.type,
          'content-length': asset.data.length,
          // Vite puts a content hash in every asset name: a name never changes content.
          'cache-control': 'public, max-age=31536000, immutable',
          'x-content-type-options': 'nosniff',
        });
        res.end(asset.data);
        return undefined;
      },
    },
    { method: 'GET', pattern: '/apps/:name', public: true, handler: page },
  ];
}

/** The series to answer for `since`: every stored point, or averaged steps beyond MAX_METRIC_POINTS. */
function metricSeries(
  store: MetricReader,
  app: string,
  since: number,
  now: number,
  intervalMs: number,
): MetricSeries {
  if (store.count(app, since) <= MAX_METRIC_POINTS)
    return { app, intervalMs, points: store.list(app, since) };
  const range = Math.max(intervalMs, now - since);
  const step = Math.ceil(range / MAX_METRIC_POINTS / intervalMs) * intervalMs;
  return { app, intervalMs: step, points: store.rollup(app, since, step) };
}

async function login({ query, res }: RequestContext, sessions: LoginSessions): Promise<undefined> {
  const value = sessions.redeem(query.get('code') ?? '');
  if (value === undefined) {
    sendHtml(res, 401, LOGIN_FAILED_HTML);
    return undefined;
  }
  // 303 to a URL without the code: it leaves the address bar and the history at once.
  res.writeHead(303, {
    location: '/',
    'set-cookie': sessionCookie(value, Math.floor(sessions.sessionTtlMs / 1000)),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  });
  res.end();
  return undefined;
}

/** The Set-Cookie value of the session cookie (an empty value with Max-Age=0 clears it). Pure. */
export function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}`;
}

/** Content-Security-Policy of the dashboard's pages: only its own scripts, styles and API. */
const CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.setHeader('content-security-policy', CSP);
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  sendText(res, status, html, 'text/html');
}
