import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../core/logger.js';
import { SessionStore } from '../dashboard/sessions.js';
import { openDatabase } from '../store/database.js';
import { MetricStore } from '../store/metric-store.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { createApiServer } from './api-server.js';
import { ApiClient } from './client.js';
import { dashboardRoutes, MAX_METRIC_POINTS } from './dashboard-routes.js';
import { FakeAgentService } from './fake-agent-service.js';
import type { MetricSeries } from './wire.js';

// FakeAgentService stands in for the agent: these cover the dashboard's HTTP side over real sockets.
const TOKEN = 'dashboard-test-token-0123456789';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

describe('dashboard routes', () => {
  const dir = tempDir('wandol-dashboard-routes-');
  const uiDir = join(dir.path, 'ui');
  const service = new FakeAgentService();
  const sessions = new SessionStore();
  const now = Date.now();
  const metrics = new MetricStore(openDatabase(':memory:'));
  let server: Server;
  let base: string;
  let client: ApiClient;

  before(async () => {
    mkdirSync(join(uiDir, 'assets'), { recursive: true });
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>wandol ui</title>');
    writeFileSync(join(uiDir, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(uiDir, 'assets', 'index-abc.css'), 'body{}');
    writeFileSync(join(dir.path, 'secret.txt'), 'do not serve');
    await service.addApp({ name: 'hello', repo: '/r.git' });
    server = createApiServer({
      service,
      token: TOKEN,
      logger: silentLogger,
      sessions,
      routes: dashboardRoutes({ sessions, store: metrics, uiDir }),
    });
    base = await listen(server);
    client = new ApiClient({ baseUrl: base, token: TOKEN });
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    dir.cleanup();
  });

  /** Logs in through a fresh code and returns the session cookie's value. */
  async function login(): Promise<string> {
    const { code } = await client.createLoginCode();
    const res = await fetch(`${base}/login?code=${encodeURIComponent(code)}`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    const cookie = res.headers.get('set-cookie') ?? '';
    return /^wandol_session=([^;]+);/.exec(cookie)?.[1] ?? '';
  }

  it('creates a login code with the token, and a login link of the agent', async () => {
    const code = await client.createLoginCode();
    assert.match(code.code, /^[A-Za-z0-9_-]{43}$/);
    const expires = Date.parse(code.expiresAt) - Date.now();
    assert.ok(expires > 50_000 && expires <= 60_000, `expires in ${expires} ms`);
    assert.equal(client.loginUrl(code), `${base}/login?code=${code.code}`);
  });

  it('logs in once: HttpOnly SameSite=Strict cookie, 303 to / without the code', async () => {
    const { code } = await client.createLoginCode();
    const res = await fetch(`${base}/login?code=${code}`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(
      cookie,
      /^wandol_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=604800$/,
    );
    assert.ok(!cookie.includes(code));
    const again = await fetch(`${base}/login?code=${code}`, { redirect: 'manual' });
    assert.equal(again.status, 401);
    assert.equal(again.headers.get('set-cookie'), null);
    assert.match(await again.text(), /wandol dashboard/);
  });

  for (const [label, query] of [
    ['no code', ''],
    ['an unknown code', '?code=abc'],
    ['an empty code', '?code='],
  ] as const) {
    it(`answers a login with ${label} with 401 and how to get a new link`, async () => {
      const res = await fetch(`${base}/login${query}`, { redirect: 'manual' });
      assert.equal(res.status, 401);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await res.text(), /Run <code>wandol dashboard<\/code> again/);
    });
  }

  it('the cookie authorises reads; writes need X-Wandol-Request: 1 too', async () => {
    const session = await login();
    const cookie = `other=1; wandol_session=${session}`;
    const read = await fetch(`${base}/api/v1/apps`, { headers: { cookie } });
    assert.equal(read.status, 200);
    const before = service.calls.filter((c) => c.method === 'deploy').length;
    const forged = await fetch(`${base}/api/v1/apps/hello/deploy`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(forged.status, 403);
    assert.match(
      ((await forged.json()) as { error: { message: string } }).error.message,
      /X-Wandol-Request: 1/,
    );
    assert.equal(service.calls.filter((c) => c.method === 'deploy').length, before, 'nothing was deployed');
    const wrongValue = await fetch(`${base}/api/v1/apps/hello/deploy`, {
      method: 'POST',
      headers: { cookie, 'x-wandol-request': 'yes' },
    });
    assert.equal(wrongValue.status, 403);
    const ok = await fetch(`${base}/api/v1/apps/hello/deploy`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-wandol-request': '1' },
      body: '{}',
    });
    assert.equal(ok.status, 202);
  });

  it('a wrong or missing cookie is a 401 like a missing token', async () => {
    for (const cookie of ['wandol_session=forged', 'wandol_session=', 'nothing=here']) {
      const res = await fetch(`${base}/api/v1/apps`, { headers: { cookie } });
      assert.equal(res.status, 401, cookie);
    }
  });

  it('only the token may create login codes (a session may not mint more)', async () => {
    const session = await login();
    const res = await fetch(`${base}/api/v1/login-codes`, {
      method: 'POST',
      headers: { cookie: `wandol_session=${session}`, 'x-wandol-request': '1' },
    });
    assert.equal(res.status, 403);
    const anonymous = await fetch(`${base}/api/v1/login-codes`, { method: 'POST' });
    assert.equal(anonymous.status, 401);
  });

  it('logout ends the session and clears the cookie', async () => {
    const session = await login();
    const cookie = `wandol_session=${session}`;
    const res = await fetch(`${base}/api/v1/logout`, {
      method: 'POST',
      headers: { cookie, 'x-wandol-request': '1' },
    });
    assert.equal(res.status, 204);
    assert.match(
      res.headers.get('set-cookie') ?? '',
      /^wandol_session=; HttpOnly; SameSite=Strict; Path=\/; Max-Age=0$/,
    );
    assert.equal((await fetch(`${base}/api/v1/apps`, { headers: { cookie } })).status, 401);
  });

  it('the token logs every browser out at once; a session may not', async () => {
    const [one, two] = [await login(), await login()];
    const bySession = await fetch(`${base}/api/v1/sessions`, {
      method: 'DELETE',
      headers: { cookie: `wandol_session=${one}`, 'x-wandol-request': '1' },
    });
    assert.equal(bySession.status, 403);
    const { revoked } = await client.logoutAll();
    assert.ok(revoked >= 2, `revoked ${revoked}`);
    for (const session of [one, two]) {
      const res = await fetch(`${base}/api/v1/apps`, { headers: { cookie: `wandol_session=${session}` } });
      assert.equal(res.status, 401);
    }
  });

  it("answers an app's figures since a time, oldest first; 404 for an unknown app", async () => {
    for (let i = 0; i < 5; i++) {
      metrics.insert('hello', {
        at: now - (5 - i) * 10_000,
        requestsPerSecond: i,
        p99Ms: i === 0 ? null : 10,
        errorsPerSecond: 0,
        cpuCores: 0.1,
        memoryBytes: 2048,
        replicasReady: 1,
        replicasDesired: 1,
      });
    }
    const series = await client.metrics('hello', now - 40_000);
    assert.equal(series.app, 'hello');
    assert.equal(series.intervalMs, 10_000);
    assert.deepEqual(
      series.points.map((p) => p.requestsPerSecond),
      [1, 2, 3, 4],
    );
    assert.equal((await client.metrics('hello')).points.length, 5, 'the last hour by default');
    await assert.rejects(
      client.metrics('nope'),
      (err: Error & { code?: string }) => err.code === 'NOT_FOUND',
    );
    const bad = await fetch(`${base}/api/v1/apps/hello/metrics?since=yesterday`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(bad.status, 400);
  });

  it('averages long ranges into at most MAX_METRIC_POINTS steps', async () => {
    const start = now - 3 * 24 * 3600_000;
    for (let at = start; at < start + (MAX_METRIC_POINTS + 100) * 10_000; at += 10_000) {
      metrics.insert('hello', {
        at,
        requestsPerSecond: 2,
        p99Ms: 5,
        errorsPerSecond: 0,
        cpuCores: 0,
        memoryBytes: 0,
        replicasReady: 1,
        replicasDesired: 1,
      });
    }
    const series: MetricSeries = await client.metrics('hello', start);
    assert.ok(series.points.length <= MAX_METRIC_POINTS, `${series.points.length} points`);
    assert.ok(series.intervalMs > 10_000 && series.intervalMs % 10_000 === 0, `step ${series.intervalMs}`);
    assert.ok(series.points.every((p) => p.requestsPerSecond === 2 || p.requestsPerSecond < 5));
  });

  it('serves the built assets with their content types, publicly, and nothing outside assets/', async () => {
    const js = await fetch(`${base}/assets/index-abc.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('x-content-type-options'), 'nosniff');
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(await js.text(), 'console.log(1)');
    assert.equal(
      (await fetch(`${base}/assets/index-abc.css`)).headers.get('content-type'),
      'text/css; charset=utf-8',
    );
    for (const path of [
      '/assets/nope.js',
      '/assets/..%2Fsecret.txt',
      '/assets/..%2F..%2Fsecret.txt',
      '/assets/.hidden',
    ]) {
      const res = await fetch(base + path);
      assert.equal(res.status, 404, path);
      assert.ok(!(await res.text()).includes('do not serve'));
    }
  });

  it('serves the page at /apps/:name (deep links) with a strict CSP', async () => {
    const res = await fetch(`${base}/apps/hello`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(await res.text(), '<!doctype html><title>wandol ui</title>');
  });

  it('says to run npm run build when the UI was not built', async () => {
    const bare = createApiServer({
      service,
      token: TOKEN,
      logger: silentLogger,
      routes: dashboardRoutes({ sessions, store: metrics, uiDir: join(dir.path, 'missing') }),
    });
    const url = await listen(bare);
    try {
      const res = await fetch(`${url}/apps/hello`);
      assert.match(await res.text(), /npm run build/);
      assert.equal((await fetch(`${url}/assets/index-abc.js`)).status, 404);
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });

  it('without a session store, cookies authorise nothing (the bearer token still does)', async () => {
    const plain = createApiServer({ service, token: TOKEN, logger: silentLogger });
    const url = await listen(plain);
    try {
      const session = await login();
      assert.equal(
        (await fetch(`${url}/api/v1/apps`, { headers: { cookie: `wandol_session=${session}` } })).status,
        401,
      );
      assert.equal(
        (await fetch(`${url}/api/v1/apps`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
        200,
      );
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});
