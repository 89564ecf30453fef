import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../test/support/free-port.js';
import { waitFor } from '../../test/support/wait-for.js';
import { LATENCY_BUCKETS_MS } from './latency-histogram.js';
import { send, startRouter, startUpstream, target, type Upstream } from './router-fixtures.js';
import type { Router } from './router.js';

describe('Router traffic counters and failures', () => {
  let router: Router;
  let up: Upstream;
  let upstreamAborts = 0;
  const startedAt = Date.now();

  before(async () => {
    router = await startRouter();
    up = await startUpstream('t', (req, res) => {
      if (req.url === '/break') {
        // A response cut mid-body by the upstream.
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        setTimeout(() => res.socket?.destroy(), 20);
        return true;
      }
      if (req.url === '/hang') {
        res.on('close', () => upstreamAborts++);
        return true;
      }
      return false;
    });
  });
  after(async () => {
    await router.close();
    await up.close();
  });

  it('counts requests, failures, latency and releases; survives setRoute; dropped by removeRoute', async () => {
    const port = await freePort();
    await router.setRoute({ app: 'count', port, targets: [target('c-1', 1, up.port)] });
    for (let i = 0; i < 5; i++) await send(port);
    await router.setRoute({ app: 'count', port, targets: [target('c-2', 2, up.port)] });
    for (let i = 0; i < 2; i++) await send(port);
    await send(port, '/fail');
    await router.setRoute({ app: 'count', port, targets: [] });
    assert.equal((await send(port)).status, 503);
    const t = await router.traffic('count');
    assert.ok(t !== undefined);
    assert.equal(t.app, 'count');
    assert.ok(t.since >= startedAt - 1000 && t.since <= Date.now());
    assert.deepEqual([t.requests, t.failed, t.inFlight], [9, 2, 0]);
    assert.deepEqual(t.byRelease, { '1': { requests: 5, failed: 0 }, '2': { requests: 3, failed: 1 } });
    assert.equal(t.latency.length, LATENCY_BUCKETS_MS.length + 1);
    assert.equal(
      t.latency.reduce((a, b) => a + b, 0),
      9,
    );
    await router.removeRoute('count');
    await router.setRoute({ app: 'count', port, targets: [target('c-3', 3, up.port)] });
    assert.deepEqual((await router.traffic('count'))?.byRelease, { '3': { requests: 0, failed: 0 } });
  });

  it('counts per target the requests each instance was sent, kept across setRoute by key', async () => {
    const other = await startUpstream('o');
    try {
      const port = await freePort();
      const seen = (): [number, number] => [up.requests, other.requests];
      const [upBefore] = seen();
      const both = [target('p-1', 1, up.port), target('p-2', 1, other.port)];
      const perTarget = async (): Promise<Record<string, number | undefined>> => {
        const state = (await router.routes()).find((r) => r.app === 'per');
        return Object.fromEntries((state?.targets ?? []).map((t) => [t.instanceId, t.requests]));
      };
      await router.setRoute({ app: 'per', port, targets: both });
      assert.deepEqual(await perTarget(), { 'p-1': 0, 'p-2': 0 });
      const replies: string[] = [];
      for (let i = 0; i < 6; i++) replies.push((await send(port)).body);
      assert.deepEqual(await perTarget(), {
        'p-1': replies.filter((b) => b === 't').length,
        'p-2': replies.filter((b) => b === 'o').length,
      });
      assert.deepEqual(await perTarget(), { 'p-1': 3, 'p-2': 3 }, 'idle targets take turns');
      assert.deepEqual(seen(), [upBefore + 3, 3], 'what each upstream served');

      // p-1 is kept (same instance, release and endpoint): its count goes on. p-2 is retired.
      await router.setRoute({ app: 'per', port, targets: [both[0]!] });
      for (let i = 0; i < 2; i++) assert.equal((await send(port)).body, 't');
      assert.deepEqual(await perTarget(), { 'p-1': 5 });
      // p-2 is a new target when it comes back: its count starts again.
      await router.setRoute({ app: 'per', port, targets: both });
      assert.deepEqual(await perTarget(), { 'p-1': 5, 'p-2': 0 });
    } finally {
      await router.removeRoute('per');
      await other.close();
    }
  });

  it('destroys the client response when the upstream fails mid-body and counts it failed', async () => {
    const port = await freePort();
    await router.setRoute({ app: 'broken', port, targets: [target('b-1', 1, up.port)] });
    await assert.rejects(send(port, '/break'));
    await waitFor('failure counted', async () => (await router.traffic('broken'))?.failed === 1);
    assert.equal((await send(port)).status, 200);
  });

  it('aborts the upstream request when the client goes away, without failing anything', async () => {
    const port = await freePort();
    await router.setRoute({ app: 'gone', port, targets: [target('g-1', 1, up.port)] });
    const req = http.get({ host: '127.0.0.1', port, path: '/hang', agent: false });
    req.on('error', () => {});
    await waitFor('request in flight', async () => (await router.traffic('gone'))?.inFlight === 1);
    req.destroy();
    await waitFor('upstream request aborted', () => upstreamAborts === 1);
    await waitFor('no longer in flight', async () => {
      const state = (await router.routes()).find((r) => r.app === 'gone');
      return state?.targets[0]?.inFlight === 0 && (await router.traffic('gone'))?.inFlight === 0;
    });
    assert.equal((await router.traffic('gone'))?.failed, 0);
    assert.equal((await send(port)).status, 200);
  });
});

describe('Router with a client that aborts an upload', () => {
  it('does not mark the target down nor count a failure', async () => {
    const router = await startRouter();
    const up = await startUpstream('u', (req, res) => {
      if (req.url !== '/upload') return false;
      req.on('data', () => {});
      req.on('end', () => res.end('got it'));
      req.on('error', () => {});
      return true;
    });
    try {
      const port = await freePort();
      await router.setRoute({ app: 'upload', port, targets: [target('u-1', 1, up.port)] });
      const req = http.request({ host: '127.0.0.1', port, path: '/upload', method: 'POST', agent: false });
      req.on('error', () => {});
      req.write('first part of a long body');
      await waitFor('upload in flight', async () => (await router.traffic('upload'))?.inFlight === 1);
      req.destroy();
      await waitFor('upload ended', async () => (await router.traffic('upload'))?.inFlight === 0);
      const state = (await router.routes()).find((r) => r.app === 'upload');
      assert.equal(state?.targets[0]?.down, false);
      assert.equal((await router.traffic('upload'))?.failed, 0);
      assert.equal((await send(port)).status, 200);
    } finally {
      await router.close();
      await up.close();
    }
  });
});
