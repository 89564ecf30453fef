import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../test/support/free-port.js';
import { send, startRouter, startUpstream, target, type Upstream } from './router-fixtures.js';
import type { Router } from './router.js';

describe('Router headers and bodies', () => {
  let router: Router;
  let up: Upstream;
  let port: number;

  before(async () => {
    router = await startRouter();
    up = await startUpstream('h', (req, res) => {
      if (req.url !== '/hop') return false;
      res.writeHead(200, {
        Connection: 'X-Internal',
        'X-Internal': 'secret',
        'Keep-Alive': 'timeout=99',
        'Proxy-Connection': 'keep-alive',
        Trailer: 'X-Checksum',
        'X-Kept': 'yes',
      });
      res.write('chunk-1 ');
      setTimeout(() => res.end('chunk-2'), 20);
      return true;
    });
    port = await freePort();
    await router.setRoute({ app: 'hdr', port, targets: [target('h-1', 1, up.port)] });
  });
  after(async () => {
    await router.close();
    await up.close();
  });

  it('keeps Host, appends X-Forwarded-For, sets X-Forwarded-Proto and -Host', async () => {
    const reply = await send(port, '/headers', { headers: { host: 'app.example:8443' } });
    const { headers } = JSON.parse(reply.body) as { headers: Record<string, string> };
    assert.equal(headers['host'], 'app.example:8443');
    assert.equal(headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(headers['x-forwarded-proto'], 'http');
    assert.equal(headers['x-forwarded-host'], 'app.example:8443');
  });

  it('appends to an incoming X-Forwarded-For and keeps an incoming X-Forwarded-Proto', async () => {
    const reply = await send(port, '/headers', {
      headers: { 'X-Forwarded-For': '10.1.2.3', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'spoofed' },
    });
    const { headers } = JSON.parse(reply.body) as { headers: Record<string, string> };
    assert.equal(headers['x-forwarded-for'], '10.1.2.3, 127.0.0.1');
    assert.equal(headers['x-forwarded-proto'], 'https');
    assert.equal(headers['x-forwarded-host'], `127.0.0.1:${port}`);
  });

  it('strips hop-by-hop request headers and those named in Connection', async () => {
    const reply = await send(port, '/headers', {
      headers: {
        Connection: 'keep-alive, X-Secret',
        'X-Secret': 'do-not-forward',
        'Keep-Alive': 'timeout=5',
        'Proxy-Connection': 'keep-alive',
        TE: 'trailers',
        'X-Normal': 'forward-me',
      },
    });
    const { headers } = JSON.parse(reply.body) as { headers: Record<string, string> };
    assert.equal(headers['x-normal'], 'forward-me');
    for (const name of ['x-secret', 'keep-alive', 'proxy-connection', 'te'])
      assert.equal(headers[name], undefined, name);
    assert.equal(headers['connection'], 'keep-alive'); // the router's own connection to the upstream
  });

  it('strips hop-by-hop response headers and streams a chunked body', async () => {
    const reply = await send(port, '/hop');
    assert.equal(reply.body, 'chunk-1 chunk-2');
    assert.equal(reply.headers['x-kept'], 'yes');
    assert.equal(reply.headers['x-internal'], undefined);
    assert.equal(reply.headers['proxy-connection'], undefined);
    assert.equal(reply.headers['trailer'], undefined);
    assert.notEqual(reply.headers['keep-alive'], 'timeout=99');
  });

  it('streams a large request body up and back', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 'x');
    const reply = await send(port, '/echo', { method: 'POST', body });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.length, body.length);
  });

  it('streams a chunked request body (no content-length)', async () => {
    const reply = await send(port, '/echo', {
      method: 'PUT',
      headers: { 'transfer-encoding': 'chunked' },
      body: 'streamed',
    });
    assert.deepEqual([reply.status, reply.body], [200, 'streamed']);
  });

  it('answers HEAD without a body', async () => {
    const reply = await send(port, '/', { method: 'HEAD' });
    assert.deepEqual([reply.status, reply.body], [200, '']);
  });
});
