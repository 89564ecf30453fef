import type { ApiRoute } from '../api/route-table.js';
import type { AgentMetrics } from './agent-metrics.js';

/**
 * `GET /metrics`: the Prometheus exposition, public (no admin token) because the API listens on
 * loopback and Prometheus scrapes without credentials. The handler writes the text itself (the
 * route table's replies are JSON); a failed read of the source becomes the API's error answer.
 */
export function metricsRoute(metrics: Pick<AgentMetrics, 'render' | 'contentType'>): ApiRoute {
  return {
    method: 'GET',
    pattern: '/metrics',
    public: true,
    handler: async ({ res }) => {
      const text = await metrics.render();
      res.writeHead(200, {
        'content-type': metrics.contentType,
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
      });
      res.end(text);
      return undefined;
    },
  };
}
