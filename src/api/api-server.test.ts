import assert from 'node:assert/strict';
import { appendFileSync, truncateSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../core/logger.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { waitFor } from '../../test/support/wait-for.js';
import { createApiServer } from './api-server.js';
import { FakeAgentService } from './fake-agent-service.js';
import type { EventRecord } from './wire.js';

// FakeAgentService is a stand-in for the agent: these tests cover the HTTP layer over real sockets.
const TOKEN = 'test-token-0123456789';

describe('API server', () => {
  const dir = tempDir();
  let service: FakeAgentService;
  let server: Server;
  let base: string;

  before(async () => {
    service = new FakeAgentService();
    server = createApiServer({
      service,
      token: TOKEN,
      logger: silentLogger,
      logPollMs: 50,
      sseKeepaliveMs: 100,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    dir.cleanup();
  });

  const call = (
    method: string,
    path: string,
    opts: { token?: string | null; body?: string; accept?: string } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.accept) headers.accept = opts.accept;
    return fetch(base + path, { method, headers, body: opts.body });
  };

  it('answers /healthz without a token', async () => {
    const res = await call('GET', '/healthz', { token: null });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('serves the dashboard page without a token', async () => {
    const res = await call('GET', '/', { token: null });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /wandol/);
  });

  for (const [label, token] of [
    ['no token', null],
    ['a wrong token of the same length', 'x'.repeat(TOKEN.length)],
    ['a wrong token of another length', 'short'],
  ] as const) {
    it(`refuses /api/v1 with ${label}: 401 UNAUTHORIZED`, async () => {
      const before = service.calls.length;
      const res = await call('GET', '/api/v1/apps', { token });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'UNAUTHORIZED');
      assert.equal(service.calls.length, before, 'the service was not called');
    });
  }

  it('asks for the token before saying a route does not exist', async () => {
    assert.equal((await call('GET', '/api/v1/nope', { token: null })).status, 401);
    const res = await call('GET', '/api/v1/nope');
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
  });

  it('answers 405 with Allow for a known path and another method', async () => {
    const res = await call('PUT', '/api/v1/apps');
    assert.equal(res.status, 405);
    assert.match(res.headers.get('allow') ?? '', /GET/);
  });

  it('maps app routes to service calls', async () => {
    const added = await call('POST', '/api/v1/apps', {
      body: JSON.stringify({ name: 'demo', repo: '/r.git', pollMs: 2000 }),
    });
    assert.equal(added.status, 201);
    assert.equal(((await added.json()) as { name: string }).name, 'demo');
    assert.deepEqual(service.calls.at(-1), {
      method: 'addApp',
      args: [{ name: 'demo', repo: '/r.git', pollMs: 2000 }],
    });

    const list = (await (await call('GET', '/api/v1/apps')).json()) as unknown[];
    assert.equal(list.length, 1);
    const status = (await (await call('GET', '/api/v1/apps/demo')).json()) as {
      name: string;
      health: string;
    };
    assert.equal(status.health, 'Healthy');
    const statuses = (await (await call('GET', '/api/v1/status')).json()) as unknown[];
    assert.equal(statuses.length, 1);

    const deployed = await call('POST', '/api/v1/apps/demo/deploy', {
      body: JSON.stringify({ rev: 'abc1234' }),
    });
    assert.equal(deployed.status, 202);
    const { release } = (await deployed.json()) as { release: { id: number; revision: string } };
    assert.equal(release.revision, 'abc1234');
    assert.deepEqual(service.calls.at(-1), { method: 'deploy', args: ['demo', { rev: 'abc1234' }] });
    const noBody = await call('POST', '/api/v1/apps/demo/deploy');
    assert.equal(noBody.status, 202);

    const releases = (await (await call('GET', '/api/v1/apps/demo/releases')).json()) as { id: number }[];
    assert.deepEqual(
      releases.map((r) => r.id),
      [2, 1],
    );
    const one = (await (await call('GET', `/api/v1/apps/demo/releases/${release.id}`)).json()) as {
      id: number;
    };
    assert.equal(one.id, release.id);
    assert.equal((await call('GET', '/api/v1/apps/demo/releases/0')).status, 400);
    assert.equal((await call('GET', '/api/v1/apps/demo/releases/99')).status, 404);

    const removed = await call('DELETE', '/api/v1/apps/demo');
    assert.equal(removed.status, 204);
    assert.deepEqual(service.calls.at(-1), { method: 'removeApp', args: ['demo'] });
  });

  it('maps error codes: NOT_FOUND 404, CONFLICT 409, INVALID_NAME 400 with the body code', async () => {
    const missing = await call('GET', '/api/v1/apps/ghost');
    assert.equal(missing.status, 404);
    const body = (await missing.json()) as { error: { code: string; message: string; details: string[] } };
    assert.equal(body.error.code, 'NOT_FOUND');
    assert.match(body.error.message, /ghost/);
    assert.deepEqual(body.error.details, []);

    await call('POST', '/api/v1/apps', { body: JSON.stringify({ name: 'twice', repo: '/r.git' }) });
    assert.equal(
      (await call('POST', '/api/v1/apps', { body: JSON.stringify({ name: 'twice', repo: '/r.git' }) }))
        .status,
      409,
    );
    const bad = await call('POST', '/api/v1/apps', {
      body: JSON.stringify({ name: 'bad;name', repo: '/r.git' }),
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'INVALID_NAME');
    assert.equal((await call('GET', '/api/v1/apps/Bad%3Bname')).status, 400);
  });

  it('answers 500 INTERNAL with a generic message for an unexpected error', async () => {
    service.failNext = new Error('secret internals at /var/lib/x');
    const res = await call('GET', '/api/v1/apps');
    assert.equal(res.status, 500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'INTERNAL');
    assert.doesNotMatch(body.error.message, /secret internals/);
  });

  it('refuses bad JSON (400), bad fields (400 with details) and bodies over 1 MiB (413)', async () => {
    const badJson = await call('POST', '/api/v1/apps', { body: '{nope' });
    assert.equal(badJson.status, 400);
    const badFields = await call('POST', '/api/v1/apps', {
      body: JSON.stringify({ name: 'x', pollMs: 'soon', extra: 1 }),
    });
    assert.equal(badFields.status, 400);
    const details = ((await badFields.json()) as { error: { details: string[] } }).error.details;
    assert.equal(details.length, 3, details.join('; '));
    const huge = await call('POST', '/api/v1/apps', {
      body: JSON.stringify({ name: 'x', repo: 'y'.repeat(1024 * 1024) }),
    });
    assert.equal(huge.status, 413);
  });

  it('answers the last N lines of the log, and an empty body when there is no file', async () => {
    await call('POST', '/api/v1/apps', { body: JSON.stringify({ name: 'logs', repo: '/r.git' }) });
    const empty = await call('GET', '/api/v1/apps/logs/logs');
    assert.equal(empty.status, 200);
    assert.equal(await empty.text(), '');
    const file = join(dir.path, 'app.log');
    writeFileSync(file, 'one\ntwo\nthree\nfour\n');
    service.logPaths.set('logs', file);
    assert.equal(await (await call('GET', '/api/v1/apps/logs/logs?tail=2')).text(), 'three\nfour\n');
    assert.equal(await (await call('GET', '/api/v1/apps/logs/logs')).text(), 'one\ntwo\nthree\nfour\n');
    assert.equal((await call('GET', '/api/v1/apps/logs/logs?tail=abc')).status, 400);
    assert.equal((await call('GET', '/api/v1/apps/ghost/logs')).status, 404);
    const buildFile = join(dir.path, 'build.log');
    writeFileSync(buildFile, 'npm ci\n');
    service.logPaths.set('logs:build', buildFile);
    assert.equal(await (await call('GET', '/api/v1/apps/logs/logs?build=1&release=3')).text(), 'npm ci\n');
    assert.deepEqual(service.calls.at(-1)?.args, ['logs', { build: true, release: 3 }]);
  });

  it('follows a log: appended lines stream out, a truncated file is read from its start', async () => {
    await call('POST', '/api/v1/apps', { body: JSON.stringify({ name: 'follow', repo: '/r.git' }) });
    const file = join(dir.path, 'follow.log');
    writeFileSync(file, 'old 1\nold 2\n');
    service.logPaths.set('follow', file);
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/apps/follow/logs?tail=1&follow=1`, {
      headers: { authorization: `Bearer ${TOKEN}` },
      signal: abort.signal,
    });
    assert.equal(res.status, 200);
    let received = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
          received += decoder.decode(chunk);
      } catch {
        // aborted below
      }
    })();
    await waitFor('the tail', () => received === 'old 2\n');
    appendFileSync(file, 'new 3\n');
    await waitFor('the appended line', () => received.endsWith('new 3\n'));
    truncateSync(file, 0);
    await new Promise((r) => setTimeout(r, 150));
    appendFileSync(file, 'after truncate\n');
    await waitFor('the line after truncation', () => received.endsWith('after truncate\n'));
    abort.abort();
    await reading;
  });

  it('streams events over SSE: recent ones, then a subscribed one; unsubscribes on close', async () => {
    const event = (id: number, type: string): EventRecord => ({
      id,
      app: 'demo',
      releaseId: null,
      type,
      message: type,
      at: '2024-01-01T00:00:00.000Z',
      data: {},
    });
    service.eventLog = [event(2, 'second'), event(1, 'first')];
    const json = (await (await call('GET', '/api/v1/events?limit=1')).json()) as EventRecord[];
    assert.deepEqual(
      json.map((e) => e.id),
      [2],
    );

    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/events`, {
      headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    let received = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
          received += decoder.decode(chunk);
      } catch {
        // aborted below
      }
    })();
    await waitFor('the replay', () => received.includes('event: second'));
    assert.ok(received.indexOf('event: first') < received.indexOf('event: second'), 'oldest first');
    await waitFor('a subscriber', () => service.listenerCount === 1);
    service.emit(event(3, 'deployed'));
    await waitFor('the live event', () => received.includes('event: deployed\ndata: {"id":3'));
    await waitFor('a keepalive', () => received.includes(': keepalive'));
    abort.abort();
    await reading;
    await waitFor('the unsubscription', () => service.listenerCount === 0);
  });

  it('answers shutdown with 202, then calls the service', async () => {
    const res = await call('POST', '/api/v1/shutdown', { body: JSON.stringify({ dataplane: true }) });
    assert.equal(res.status, 202);
    await waitFor('the shutdown call', () => service.shutdowns.length === 1);
    assert.deepEqual(service.shutdowns[0], { dataplane: true });
    assert.equal((await call('POST', '/api/v1/shutdown', { body: '{"dataplane":"yes"}' })).status, 400);
  });
});

describe('API server close', () => {
  it('ends log follows and event streams so close() completes', async () => {
    const dir = tempDir();
    const service = new FakeAgentService();
    await service.addApp({ name: 'demo', repo: '/r.git' });
    const file = join(dir.path, 'a.log');
    writeFileSync(file, 'x\n');
    service.logPaths.set('demo', file);
    const server = createApiServer({ service, token: TOKEN, logger: silentLogger, logPollMs: 50 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const headers = { authorization: `Bearer ${TOKEN}` };
    const follow = await fetch(`${base}/api/v1/apps/demo/logs?follow=1`, { headers });
    const sse = await fetch(`${base}/api/v1/events`, {
      headers: { ...headers, accept: 'text/event-stream' },
    });
    const closed = new Promise((resolve) => server.close(resolve));
    assert.equal(await follow.text(), 'x\n');
    assert.equal(await sse.text(), '');
    await closed;
    assert.equal(service.listenerCount, 0);
    dir.cleanup();
  });
});
