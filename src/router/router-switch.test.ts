import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../test/support/free-port.js';
import { waitFor } from '../../test/support/wait-for.js';
import { send, startRouter, startUpstream, target, type Upstream } from './router-fixtures.js';
import type { Router } from './router.js';

describe('Router switch and drain', () => {
  let router: Router;
  let ups: Upstream[];

  before(async () => {
    router = await startRouter();
    ups = await Promise.all(['v0', 'v1', 'v2', 'v3'].map((name) => startUpstream(name)));
  });
  after(async () => {
    await router.close();
    await Promise.all(ups.map((u) => u.close()));
  });

  it('switches atomically under keep-alive load with zero failed requests', async () => {
    const port = await freePort();
    const route = (i: number) => ({
      app: 'load',
      port,
      targets: [target(`load-${i}`, i, (ups[i] as Upstream).port)],
    });
    await router.setRoute(route(0));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    let epoch = 0;
    let done = 0;
    const problems: string[] = [];
    const worker = async (): Promise<void> => {
      while (done < 400) {
        const startedIn = epoch;
        const reply = await send(port, '/', { agent });
        done++;
        const served = Number(reply.body.slice(1));
        if (reply.status !== 200) problems.push(`status ${reply.status}`);
        // A request sent after setRoute resolved must never reach an older version.
        else if (served < startedIn) problems.push(`started in epoch ${startedIn}, served by v${served}`);
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    for (let i = 1; i < 4; i++) {
      const threshold = i * 100;
      await waitFor(`${threshold} requests`, () => done >= threshold, 10_000, 5);
      await router.setRoute(route(i));
      epoch = i;
    }
    await Promise.all(workers);
    agent.destroy();
    assert.deepEqual(problems, []);
    const traffic = await router.traffic('load');
    assert.equal(traffic?.failed, 0);
    assert.ok((traffic?.requests ?? 0) >= 400);
    assert.ok(
      ups.every((u) => u.requests > 0),
      'every version served some requests',
    );
  });

  it('keeps a long in-flight request alive across a switch; the old target drains, then disappears', async () => {
    const port = await freePort();
    const [a, b] = ups as [Upstream, Upstream];
    await router.setRoute({ app: 'drain', port, targets: [target('drain-a', 1, a.port)] });
    const slow = send(port, '/slow?ms=1500');
    await waitFor('slow request in flight', async () => {
      const state = (await router.routes()).find((r) => r.app === 'drain');
      return state?.targets[0]?.inFlight === 1;
    });
    await router.setRoute({ app: 'drain', port, targets: [target('drain-b', 2, b.port)] });
    const during = (await router.routes()).find((r) => r.app === 'drain');
    assert.deepEqual(
      during?.targets.map((t) => [t.instanceId, t.active, t.inFlight]),
      [
        ['drain-b', true, 0],
        ['drain-a', false, 1],
      ],
    );
    assert.equal((await send(port)).body, 'v1');
    const reply = await slow;
    assert.deepEqual([reply.status, reply.body], [200, 'v0 slow']);
    await waitFor('drained target gone', async () => {
      const state = (await router.routes()).find((r) => r.app === 'drain');
      return state?.targets.length === 1 && state.targets[0]?.instanceId === 'drain-b';
    });
  });

  it('keeps the state of targets present before and after a switch', async () => {
    const port = await freePort();
    const [a, b] = ups as [Upstream, Upstream];
    await router.setRoute({ app: 'keep', port, targets: [target('keep-a', 1, a.port)] });
    const slow = send(port, '/slow?ms=300');
    await waitFor(
      'in flight',
      async () => (await router.routes()).find((r) => r.app === 'keep')?.targets[0]?.inFlight === 1,
    );
    await router.setRoute({
      app: 'keep',
      port,
      targets: [target('keep-a', 1, a.port), target('keep-b', 2, b.port)],
    });
    const state = (await router.routes()).find((r) => r.app === 'keep');
    assert.deepEqual(
      state?.targets.map((t) => [t.instanceId, t.active, t.inFlight]),
      [
        ['keep-a', true, 1],
        ['keep-b', true, 0],
      ],
    );
    assert.equal((await slow).status, 200);
  });
});
