import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { hasCode } from '../core/errors.js';
import { freePort } from '../../test/support/free-port.js';
import { send, startRouter, startUpstream, target, type Upstream } from './router-fixtures.js';
import type { Router } from './router.js';

describe('Router routing', () => {
  let router: Router;
  let a: Upstream;
  let b: Upstream;

  before(async () => {
    router = await startRouter();
    a = await startUpstream('a');
    b = await startUpstream('b');
  });
  after(async () => {
    await router.close();
    await Promise.all([a.close(), b.close()]);
  });

  it('routes by dedicated port', async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    await router.setRoute({ app: 'one', port: pa, targets: [target('one-1', 1, a.port)] });
    await router.setRoute({ app: 'two', port: pb, targets: [target('two-1', 1, b.port)] });
    assert.equal((await send(pa)).body, 'a');
    assert.equal((await send(pb)).body, 'b');
  });

  it('routes by Host on the shared listener, case-insensitively, port stripped; unknown host is 404', async () => {
    await router.setRoute({ app: 'hosta', host: 'Hello.Localhost', targets: [target('ha-1', 1, a.port)] });
    await router.setRoute({ app: 'hostb', host: 'other.localhost', targets: [target('hb-1', 1, b.port)] });
    const shared = router.sharedPort as number;
    assert.equal((await send(shared, '/', { headers: { host: 'hello.LOCALHOST:8080' } })).body, 'a');
    assert.equal((await send(shared, '/', { headers: { host: 'other.localhost' } })).body, 'b');
    const unknown = await send(shared, '/', { headers: { host: 'nobody.localhost' } });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /no route/i);
  });

  it('refuses a host already routed to another app with CONFLICT', async () => {
    await assert.rejects(
      router.setRoute({ app: 'thief', host: 'hello.localhost', targets: [] }),
      (err: unknown) => hasCode(err, 'CONFLICT'),
    );
  });

  it('answers 503 with Retry-After when the route has no target', async () => {
    const port = await freePort();
    await router.setRoute({ app: 'empty', port, targets: [] });
    const reply = await send(port);
    assert.equal(reply.status, 503);
    assert.equal(reply.headers['retry-after'], '1');
  });

  it('throws PORT_IN_USE when the port is taken and leaves no route behind', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(
        router.setRoute({ app: 'taken', port, targets: [target('t-1', 1, a.port)] }),
        (err: unknown) => hasCode(err, 'PORT_IN_USE'),
      );
      assert.equal(
        (await router.routes()).find((r) => r.app === 'taken'),
        undefined,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('moves to a new port: the new one serves, the old one is closed', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    await router.setRoute({ app: 'mover', port: p1, targets: [target('m-1', 1, a.port)] });
    assert.equal((await send(p1)).body, 'a');
    await router.setRoute({ app: 'mover', port: p2, targets: [target('m-1', 1, a.port)] });
    assert.equal((await send(p2)).body, 'a');
    await assert.rejects(send(p1), /ECONNREFUSED/);
    assert.equal((await router.routes()).find((r) => r.app === 'mover')?.port, p2);
  });

  it('removeRoute closes the listener, drops the counters and is idempotent', async () => {
    const port = await freePort();
    await router.setRoute({ app: 'gone', port, targets: [target('g-1', 1, a.port)] });
    assert.equal((await send(port)).status, 200);
    await router.removeRoute('gone');
    await router.removeRoute('gone');
    await assert.rejects(send(port), /ECONNREFUSED/);
    assert.equal(await router.traffic('gone'), undefined);
    assert.equal(
      (await router.routes()).find((r) => r.app === 'gone'),
      undefined,
    );
  });
});
