import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../core/logger.js';
import { createApiServer } from './api-server.js';
import { FakeAgentService } from './fake-agent-service.js';
import { secretRoutes } from './secret-routes.js';

// FakeAgentService stands in for the agent: these tests cover the HTTP layer over real sockets.
const TOKEN = 'test-token-secrets-0123';
const VALUE = 'sup3r-s3cret-canary-value';

describe('secret routes', () => {
  const service = new FakeAgentService();
  let server: Server;
  let base: string;
  /** Every answer body, to check that no value ever comes back. */
  const answers: string[] = [];

  before(async () => {
    await service.addApp({ name: 'demo', repo: '/r.git' });
    server = createApiServer({ service, token: TOKEN, logger: silentLogger, routes: secretRoutes });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    for (const text of answers)
      assert.ok(!text.includes(VALUE.slice(0, 12)), `an answer held the value: ${text}`);
  });

  const call = async (method: string, path: string, body?: string, token: string | null = TOKEN) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const res = await fetch(base + path, { method, headers, body });
    const text = await res.text();
    answers.push(text);
    return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };
  const errorOf = (r: { json: () => Record<string, unknown> }) =>
    r.json().error as { code: string; message: string; details: string[] };

  it('PUT stores a value: 204 with no body, and the service gets it', async () => {
    const res = await call(
      'PUT',
      '/api/v1/apps/demo/secrets/DISCORD_TOKEN',
      JSON.stringify({ value: VALUE }),
    );
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.equal(service.secrets.get('demo')?.get('DISCORD_TOKEN'), VALUE);
    assert.deepEqual(service.calls.at(-1), { method: 'setSecret', args: ['demo', 'DISCORD_TOKEN'] });
  });

  it('GET lists names and dates only', async () => {
    await call('PUT', '/api/v1/apps/demo/secrets/API_KEY', JSON.stringify({ value: `${VALUE}-2` }));
    const res = await call('GET', '/api/v1/apps/demo/secrets');
    assert.equal(res.status, 200);
    const list = res.json() as { secrets: { name: string; updatedAt: string }[] };
    assert.deepEqual(
      list.secrets.map((s) => s.name),
      ['API_KEY', 'DISCORD_TOKEN'],
    );
    assert.ok(list.secrets.every((s) => Object.keys(s).sort().join() === 'name,updatedAt'));
  });

  it('DELETE removes: 204, idempotent', async () => {
    assert.equal((await call('DELETE', '/api/v1/apps/demo/secrets/API_KEY')).status, 204);
    assert.equal((await call('DELETE', '/api/v1/apps/demo/secrets/API_KEY')).status, 204);
    assert.equal(service.secrets.get('demo')?.has('API_KEY'), false);
  });

  it('refuses bad bodies with 400 without quoting them', async () => {
    const before = service.calls.length;
    const bodies = [
      `{"value": ${VALUE}}`, // not JSON: JSON.parse's message would quote the value
      JSON.stringify({ value: 42 }),
      JSON.stringify({ value: VALUE, extra: VALUE }),
      JSON.stringify([VALUE]),
      JSON.stringify({ value: '' }),
      JSON.stringify({ value: 'x'.repeat(64 * 1024 + 1) }),
      '',
    ];
    for (const body of bodies) {
      const res = await call('PUT', '/api/v1/apps/demo/secrets/TOKEN', body);
      assert.equal(res.status, 400, body.slice(0, 40));
      assert.equal(errorOf(res).code, 'USAGE');
    }
    assert.equal(service.calls.length, before, 'the service was not called');
  });

  it('refuses a bad secret name or app name with 400, an unknown app with 404, no token with 401', async () => {
    const body = JSON.stringify({ value: VALUE });
    assert.equal((await call('PUT', '/api/v1/apps/demo/secrets/1BAD', body)).status, 400);
    assert.equal((await call('PUT', '/api/v1/apps/demo/secrets/PORT', body)).status, 400);
    assert.equal((await call('DELETE', '/api/v1/apps/demo/secrets/A-B')).status, 400);
    assert.equal((await call('GET', '/api/v1/apps/Bad_Name/secrets')).status, 400);
    const missing = await call('PUT', '/api/v1/apps/ghost/secrets/TOKEN', body);
    assert.equal(missing.status, 404);
    assert.equal(errorOf(missing).code, 'NOT_FOUND');
    assert.equal((await call('GET', '/api/v1/apps/ghost/secrets')).status, 404);
    assert.equal((await call('PUT', '/api/v1/apps/demo/secrets/TOKEN', body, null)).status, 401);
    assert.equal((await call('GET', '/api/v1/apps/demo/secrets', undefined, 'wrong')).status, 401);
    assert.equal((await call('POST', '/api/v1/apps/demo/secrets/TOKEN', body)).status, 405);
  });
});
