import assert from 'node:assert/strict';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../../test/support/temp-dir.js';
import { waitFor } from '../../test/support/wait-for.js';
import { silentLogger } from '../core/logger.js';
import { createApiServer } from './api-server.js';
import { FakeAgentService } from './fake-agent-service.js';

// FakeAgentService stands in for the agent: these tests cover the logs route over real sockets.
const TOKEN = 'logs-route-token-0123456789';
const line = (release: number, text: string): string =>
  `2025-01-01T00:00:00.000Z shop-r${release}-green-1 out | ${text}\n`;

describe('GET /api/v1/apps/:name/logs', () => {
  const dir = tempDir();
  const file = join(dir.path, 'app.log');
  let service: FakeAgentService;
  let server: Server;
  let base: string;

  before(async () => {
    service = new FakeAgentService();
    server = createApiServer({
      service,
      token: TOKEN,
      logger: silentLogger,
      logPollMs: 20,
      sseKeepaliveMs: 100,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    await get('/api/v1/apps', 'POST', JSON.stringify({ name: 'shop', repo: '/r.git' }));
    service.logPaths.set('shop', file);
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    dir.cleanup();
  });

  function get(path: string, method = 'GET', body?: string, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
    if (body) headers['content-type'] = 'application/json';
    return fetch(base + path, { method, headers, body, signal });
  }

  it('tails across rotated files, and keeps one release with release=R', async () => {
    writeFileSync(`${file}.1`, line(1, 'a') + line(2, 'b'));
    writeFileSync(file, line(1, 'c') + line(2, 'd'));
    assert.equal(
      await (await get('/api/v1/apps/shop/logs?tail=3')).text(),
      line(2, 'b') + line(1, 'c') + line(2, 'd'),
    );
    assert.equal(await (await get('/api/v1/apps/shop/logs?release=1')).text(), line(1, 'a') + line(1, 'c'));
    assert.equal(await (await get('/api/v1/apps/shop/logs?release=9')).text(), '');
    assert.equal((await get('/api/v1/apps/shop/logs?release=0')).status, 400);
  });

  it('with build=1, release picks the build log and filters nothing', async () => {
    const build = join(dir.path, 'build.log');
    writeFileSync(build, 'npm ci\nnpm run build\n');
    service.logPaths.set('shop:build', build);
    assert.equal(
      await (await get('/api/v1/apps/shop/logs?build=1&release=2')).text(),
      'npm ci\nnpm run build\n',
    );
    assert.deepEqual(service.calls.at(-1)?.args, ['shop', { build: true, release: 2 }]);
  });

  it('follows one release across a rotation', async () => {
    writeFileSync(file, line(1, 'old'));
    const abort = new AbortController();
    const res = await get('/api/v1/apps/shop/logs?tail=5&follow=1&release=1', 'GET', undefined, abort.signal);
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
    await waitFor('the tail', () => received === line(1, 'a') + line(1, 'old'));
    appendFileSync(file, line(2, 'skip') + line(1, 'before rotation'));
    renameSync(`${file}.1`, `${file}.2`);
    renameSync(file, `${file}.1`);
    writeFileSync(file, line(1, 'after rotation') + line(2, 'skip'));
    const expected = line(1, 'a') + line(1, 'old') + line(1, 'before rotation') + line(1, 'after rotation');
    await waitFor('the lines around the rotation', () => received === expected);
    abort.abort();
    await reading;
  });
});
