import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createApiServer } from '../api/api-server.js';
import { FakeAgentService } from '../api/fake-agent-service.js';
import { silentLogger } from '../core/logger.js';
import { createAgentMetrics } from './agent-metrics.js';
import { parseExposition } from './exposition-text.js';
import { metricsRoute } from './metrics-route.js';
import { ScriptedMetricsSource, scriptedApp } from './scripted-metrics-source.js';

// FakeAgentService stands in for the agent and the source is scripted: this covers the route over
// real HTTP on 127.0.0.1; the agent wires the real source.

describe('GET /metrics', () => {
  const source = new ScriptedMetricsSource([scriptedApp('web')]);
  const metrics = createAgentMetrics(source);
  let server: Server;
  let base: string;

  before(async () => {
    server = createApiServer({
      service: new FakeAgentService(),
      token: 'x',
      logger: silentLogger,
      routes: [metricsRoute(metrics)],
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers the exposition without a token, in the Prometheus text format', async () => {
    metrics.observeDeploy('web', 'succeeded', 3);
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const exp = parseExposition(await res.text());
    assert.ok(
      exp.samples.some((s) => s.name === 'wandol_deploys_total' && s.labels.app === 'web' && s.value === 1),
    );
    assert.ok(exp.samples.some((s) => s.name === 'wandol_agent_process_cpu_seconds_total'));
  });

  it('answers 405 to other methods and keeps the API behind its token', async () => {
    assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 405);
    assert.equal((await fetch(`${base}/api/v1/apps`)).status, 401);
  });

  it('fails the scrape with a 500 error body when the source fails', async () => {
    source.failWith = new Error('store closed');
    try {
      const res = await fetch(`${base}/metrics`);
      assert.equal(res.status, 500);
      const body = (await res.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'INTERNAL');
    } finally {
      source.failWith = undefined;
    }
    assert.equal((await fetch(`${base}/metrics`)).status, 200);
  });
});
