import { readJsonBody, sendJson, sendText } from './http-io.js';
import { parseShutdownRequest } from './request-bodies.js';
import type { ApiRoute } from './route-table.js';
import { PLACEHOLDER_DASHBOARD_HTML } from './placeholder-dashboard.js';

/** `/healthz`, `POST /api/v1/shutdown` and the dashboard page at `/`. */
export function systemRoutes(dashboardHtml: string = PLACEHOLDER_DASHBOARD_HTML): ApiRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/healthz',
      public: true,
      handler: async () => ({ status: 200, body: { status: 'ok' } }),
    },
    {
      method: 'GET',
      pattern: '/',
      public: true, // the page holds no data; what it shows comes from the API, with a token
      handler: async ({ res }) => {
        sendText(res, 200, dashboardHtml, 'text/html');
        return undefined;
      },
    },
    {
      method: 'POST',
      pattern: '/api/v1/shutdown',
      handler: async ({ req, res, service, logger }) => {
        const opts = parseShutdownRequest(await readJsonBody(req));
        // Answer first: the shutdown closes this very server.
        res.once('finish', () => {
          setImmediate(() => {
            service.shutdown(opts).catch((err: unknown) => logger.error('Shutdown failed', { err }));
          });
        });
        sendJson(res, 202, { status: 'stopping', dataplane: opts.dataplane });
        return undefined;
      },
    },
  ];
}
