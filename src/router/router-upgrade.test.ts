import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../test/support/free-port.js';
import { waitFor } from '../../test/support/wait-for.js';
import { startRouter, startUpstream, target, type Upstream } from './router-fixtures.js';
import type { Router } from './router.js';

/** Opens a raw socket, sends an Upgrade handshake and resolves with the socket and the response head. */
async function handshake(
  port: number,
  host = 'ws.localhost',
): Promise<{ socket: Socket; head: string; read: () => string }> {
  const socket = connect({ host: '127.0.0.1', port });
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET /socket HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n`);
  await waitFor('101 response head', () => received.includes('\r\n\r\n'), 5000, 10);
  const end = received.indexOf('\r\n\r\n') + 4;
  const head = received.slice(0, end);
  received = received.slice(end);
  return { socket, head, read: () => received };
}

describe('Router upgrade pass-through', () => {
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

  it('tunnels an Upgrade both ways, counts it and keeps it in flight while open', async () => {
    const port = await freePort();
    await router.setRoute({ app: 'ws', port, targets: [target('ws-a', 3, a.port)] });
    const { socket, head, read } = await handshake(port);
    assert.match(head, /^HTTP\/1\.1 101/);
    assert.match(head, /X-Upstream: a/);
    assert.match(head, /X-Seen-For: 127\.0\.0\.1/);
    socket.write('ping');
    await waitFor('echo', () => read() === 'ping', 5000, 10);
    const open = await router.traffic('ws');
    assert.deepEqual([open?.requests, open?.inFlight, open?.byRelease['3']?.requests], [1, 1, 1]);
    const ws = (await router.routes()).find((r) => r.app === 'ws');
    assert.equal(ws?.targets[0]?.requests, 1, 'a tunnel counts on its target');
    socket.destroy();
    await waitFor('tunnel closed', async () => (await router.traffic('ws'))?.inFlight === 0);
  });

  it('routes Upgrade by Host on the shared listener and keeps an open tunnel across a switch', async () => {
    await router.setRoute({ app: 'wsh', host: 'ws.localhost', targets: [target('wsh-a', 1, a.port)] });
    const { socket, read } = await handshake(router.sharedPort as number);
    await router.setRoute({ app: 'wsh', host: 'ws.localhost', targets: [target('wsh-b', 2, b.port)] });
    const during = (await router.routes()).find((r) => r.app === 'wsh');
    assert.deepEqual(
      during?.targets.map((t) => [t.instanceId, t.active, t.inFlight]),
      [
        ['wsh-b', true, 0],
        ['wsh-a', false, 1],
      ],
    );
    socket.write('still here');
    await waitFor('echo after switch', () => read() === 'still here', 5000, 10);
    socket.end();
    await waitFor('draining tunnel target gone', async () => {
      const state = (await router.routes()).find((r) => r.app === 'wsh');
      return state?.targets.length === 1;
    });
  });

  it('answers 503 to an Upgrade when there is no target', async () => {
    const port = await freePort();
    await router.setRoute({ app: 'wsnone', port, targets: [] });
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.on('data', (c: Buffer) => (received += c.toString()));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
    await waitFor('503', () => received.startsWith('HTTP/1.1 503'), 5000, 10);
    socket.destroy();
  });

  it('retries an Upgrade on another target when one refuses', async () => {
    const port = await freePort();
    await router.setRoute({
      app: 'wsretry',
      port,
      targets: [target('x-dead', 1, await freePort()), target('x-b', 1, b.port)],
    });
    for (let i = 0; i < 3; i++) {
      const { socket, head } = await handshake(port);
      assert.match(head, /X-Upstream: b/);
      socket.destroy();
    }
  });
});
