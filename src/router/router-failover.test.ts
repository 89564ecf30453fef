import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../test/support/free-port.js';
import { waitFor } from '../../test/support/wait-for.js';
import { send, startRouter, startUpstream, target, type Upstream } from './router-fixtures.js';
import type { Router } from './router.js';

/** A TCP server that reads a request and closes the connection without answering. */
async function startResetter(): Promise<{ port: number; connections: number; server: Server }> {
  const state = { port: 0, connections: 0, server: createServer() };
  state.server.on('connection', (socket: Socket) => {
    state.connections++;
    socket.once('data', () => socket.destroy());
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}

describe('Router failover', () => {
  let router: Router;
  let live: Upstream;

  before(async () => {
    router = await startRouter();
    live = await startUpstream('live');
  });
  after(async () => {
    await router.close();
    await live.close();
  });

  it('retries a GET on another target when one refuses connections, and marks it down', async () => {
    const port = await freePort();
    const dead = await freePort();
    await router.setRoute({
      app: 'retry',
      port,
      targets: [target('r-dead', 1, dead), target('r-live', 1, live.port)],
    });
    const replies = await Promise.all(Array.from({ length: 20 }, () => send(port)));
    assert.deepEqual(new Set(replies.map((r) => `${r.status} ${r.body}`)), new Set(['200 live']));
    const state = (await router.routes()).find((r) => r.app === 'retry');
    assert.equal(state?.targets.find((t) => t.instanceId === 'r-dead')?.down, true);
    // Each attempt counts on the target it went to: all 20 reached r-live, some first tried r-dead.
    assert.equal(state?.targets.find((t) => t.instanceId === 'r-live')?.requests, 20);
    assert.ok((state?.targets.find((t) => t.instanceId === 'r-dead')?.requests ?? 0) >= 1);
    assert.equal((await router.traffic('retry'))?.failed, 0);
  });

  it('answers 502 to a POST whose target fails and does not retry it', async () => {
    const resetter = await startResetter();
    try {
      const port = await freePort();
      await router.setRoute({ app: 'post', port, targets: [target('p-1', 1, resetter.port)] });
      const reply = await send(port, '/', { method: 'POST', body: 'payload' });
      assert.equal(reply.status, 502);
      assert.equal(resetter.connections, 1);
      assert.equal((await router.traffic('post'))?.failed, 1);
    } finally {
      resetter.server.close();
    }
  });

  it('retries a GET once on its only target after a pause, then answers 502', async () => {
    const resetter = await startResetter();
    try {
      const port = await freePort();
      await router.setRoute({ app: 'only', port, targets: [target('o-1', 1, resetter.port)] });
      const reply = await send(port);
      assert.equal(reply.status, 502);
      assert.equal(resetter.connections, 2);
    } finally {
      resetter.server.close();
    }
  });

  it('uses a down target again once it is back', async () => {
    const port = await freePort();
    const comeback = await freePort();
    await router.setRoute({
      app: 'back',
      port,
      targets: [target('b-1', 1, comeback), target('b-2', 1, live.port)],
    });
    assert.equal((await send(port)).status, 200);
    assert.equal((await send(port)).status, 200);
    const returning = await startUpstream('returning', undefined, comeback);
    try {
      await waitFor(
        'requests reach the returning target',
        async () => {
          await send(port);
          return returning.requests > 0;
        },
        10_000,
        50,
      );
      await waitFor('target up again', async () => {
        const state = (await router.routes()).find((r) => r.app === 'back');
        return state?.targets.every((t) => !t.down);
      });
    } finally {
      await returning.close();
    }
  });

  it('passes an upstream 500 through and counts it as failed', async () => {
    const port = await freePort();
    await router.setRoute({ app: 'err', port, targets: [target('e-1', 7, live.port)] });
    const reply = await send(port, '/fail');
    assert.equal(reply.status, 500);
    const traffic = await router.traffic('err');
    assert.deepEqual(traffic?.byRelease['7'], { requests: 1, failed: 1 });
  });
});
