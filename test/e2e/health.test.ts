// Health, self-healing, strategies and scaling on real parts: a real agent and data plane, real
// git, real processes killed for real, HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  sampleApp,
  startTestAgent,
  waitForRevision,
  type SampleApp,
  type TestAgent,
} from '../support/agent-harness.js';
import { get, startLoad } from '../support/load.js';
import { sampleAppFiles } from '../support/sample-app.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const dir = tempDir();
let t: TestAgent;

before(async () => {
  t = await startTestAgent(`${dir.path}/data`);
});
after(async () => {
  await t?.down();
  dir.cleanup();
});

const app = (name: string, extra: string): Promise<SampleApp> => sampleApp(t, dir.path, name, extra);

const pids = async (name: string): Promise<number[]> => {
  const status = await t.client.status(name);
  return status.instances.filter((i) => i.phase !== 'Exited').map((i) => i.id).length > 0
    ? Promise.all(status.instances.map(async (i) => Number((await get(`http://${i.endpoint}/pid`)).body)))
    : [];
};

test('a killed instance is replaced, and with two replicas no GET fails', async () => {
  const a = await app('healer', 'replicas: 2');
  const load = startLoad(a.url, { concurrency: 4 });
  const [victim] = await pids('healer');
  process.kill(victim!, 'SIGKILL');
  const status = await waitFor(
    'the instance replaced',
    async () => {
      const s = await t.client.status('healer');
      return s.replicas.ready === 2 && s.instances.some((i) => i.restarts === 1) ? s : undefined;
    },
    30_000,
  );
  const result = await load.stop();
  assert.equal(result.failed, 0, result.failures.join('; '));
  assert.equal(status.health, 'Healthy');
  const events = await t.client.events({ app: 'healer', limit: 50 });
  assert.ok(
    events.some((e) => e.type === 'Restarted'),
    'a Restarted event',
  );
});

test('an instance that keeps crashing shows CrashLoopBackOff with its exit and last log line', async () => {
  const a = await app('looper', '');
  const v2 = a.repo.commit(
    sampleAppFiles(
      { version: 'v2', exitAfterMs: 2000 },
      a.yaml('strategy: { scaleDownDelay: 0s, progressDeadline: 20s }'),
    ),
    'v2',
  );
  await waitForRevision(t.client, 'looper', v2);
  const status = await waitFor(
    'CrashLoopBackOff',
    async () => {
      const s = await t.client.status('looper');
      return s.instances.some((i) => i.phase === 'CrashLoopBackOff') ? s : undefined;
    },
    30_000,
  );
  assert.equal(status.health, 'Degraded');
  assert.match(status.healthReason, /CrashLoopBackOff: .* exit code 7 \(restart #\d+/);
  assert.match(status.healthReason, /listening on/);
});

test('liveness failure restarts the instance; readiness failure takes it out of the route first', async () => {
  const probes = [
    'probes:',
    '  readiness: { httpGet: { path: /healthz }, periodSeconds: 1, failureThreshold: 1 }',
    '  liveness: { httpGet: { path: /healthz }, periodSeconds: 1, failureThreshold: 3 }',
    'replicas: 2',
  ].join('\n');
  const a = await app('lively', '');
  const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, a.yaml(probes)), 'v2');
  await waitForRevision(t.client, 'lively', v2);
  // Past the post-cut-over watch (scaleDownDelay), which would otherwise roll the sick release back.
  await waitFor(
    '2 ready, v1 retired',
    async () => {
      const s = await t.client.status('lively');
      return s.replicas.ready === 2 && s.instances.every((i) => i.revision === v2);
    },
    30_000,
  );
  const before = await t.client.status('lively');
  const load = startLoad(a.url, { concurrency: 4 });
  const sick = before.instances[0]!;
  await get(`http://${sick.endpoint}/sick`);
  await waitFor(
    'the sick instance restarted',
    async () => {
      const s = await t.client.status('lively');
      return s.instances.find((i) => i.id === sick.id && i.restarts >= 1 && i.ready);
    },
    30_000,
  );
  const result = await load.stop();
  assert.equal(result.failed, 0, result.failures.join('; '));
});

test('readiness flapping takes an instance out of the route and back, and no GET fails', async () => {
  const a = await app('flappy', 'replicas: 2');
  const v2 = a.repo.commit(
    sampleAppFiles(
      { version: 'v2' },
      a.yaml(
        'replicas: 2\nprobes:\n  readiness: { httpGet: { path: /healthz }, periodSeconds: 1, failureThreshold: 1 }',
      ),
    ),
    'v2',
  );
  await waitForRevision(t.client, 'flappy', v2);
  const both = await waitFor(
    '2 v2 instances ready',
    async () => {
      const s = await t.client.status('flappy');
      return s.replicas.ready === 2 && s.instances.length === 2 && s.instances.every((i) => i.revision === v2)
        ? s
        : undefined;
    },
    30_000,
  );
  const flapper = both.instances[0]!;
  const direct = `http://${flapper.endpoint}`;
  const readyIs = (ready: boolean) => async () =>
    (await t.client.status('flappy')).instances.find((i) => i.id === flapper.id)?.ready === ready;
  const load = startLoad(a.url, { concurrency: 4 });
  for (let round = 0; round < 3; round++) {
    await get(`${direct}/sick`);
    await waitFor(`round ${round}: out of the route`, readyIs(false), 15_000);
    await new Promise((r) => setTimeout(r, 300)); // the route update lands, requests sent before it end
    const before = Number((await get(`${direct}/served`)).body);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(Number((await get(`${direct}/served`)).body), before, 'an unready instance got requests');
    await get(`${direct}/sick?off=1`);
    await waitFor(`round ${round}: back in the route`, readyIs(true), 15_000);
  }
  const back = Number((await get(`${direct}/served`)).body);
  await waitFor(
    'traffic back on the instance',
    async () => Number((await get(`${direct}/served`)).body) > back,
  );
  const result = await load.stop();
  assert.equal(result.failed, 0, result.failures.join('; '));
  assert.equal((await t.client.status('flappy')).instances.find((i) => i.id === flapper.id)?.restarts, 0);
});

test('a liveness probe that hangs past its timeout restarts the instance', async () => {
  const probes = [
    'probes:',
    '  readiness: { httpGet: { path: /healthz }, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 }',
    '  liveness: { httpGet: { path: /healthz }, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 2 }',
  ].join('\n');
  const a = await app('hanger', '');
  const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, a.yaml(probes)), 'v2');
  await waitForRevision(t.client, 'hanger', v2);
  const [instance] = (
    await waitFor(
      'v2 alone and ready',
      async () => {
        const s = await t.client.status('hanger');
        return s.instances.length === 1 && s.instances[0]!.revision === v2 && s.instances[0]!.ready
          ? s
          : undefined;
      },
      30_000,
    )
  ).instances;
  const pid = Number((await get(`http://${instance!.endpoint}/pid`)).body);
  await get(`http://${instance!.endpoint}/hang`);
  const restarted = await waitFor(
    'the hung instance restarted and ready',
    async () => {
      const s = await t.client.status('hanger');
      const i = s.instances.find((x) => x.id === instance!.id);
      return i && i.restarts >= 1 && i.ready ? i : undefined;
    },
    30_000,
  );
  assert.notEqual(Number((await get(`http://${restarted.endpoint}/pid`)).body), pid);
  assert.equal((await get(a.url)).body, 'v2');
});

test('a release that crashes after the cut-over is rolled back by itself', async () => {
  const a = await app('watched', 'strategy: { scaleDownDelay: 20s, progressDeadline: 20s }');
  const v2 = a.repo.commit(sampleAppFiles({ version: 'v2', exitAfterMs: 1500 }, a.yaml()), 'v2');
  await waitForRevision(t.client, 'watched', v2);
  const rolledBack = await waitFor(
    'v2 RolledBack',
    async () => {
      const r = (await t.client.releases('watched')).find((x) => x.revision === v2);
      return r?.status === 'RolledBack' ? r : undefined;
    },
    30_000,
  );
  assert.equal(rolledBack.live, false);
  assert.equal((await get(a.url)).body, 'v1');
  const events = await t.client.events({ app: 'watched', limit: 50 });
  assert.ok(
    events.some((e) => e.type === 'RolledBack' && /crashed after the cut-over/.test(e.message)),
    JSON.stringify(events.map((e) => e.message)),
  );
});

test('strategy.watch: a release that crashes after the previous one stopped is rolled back by a new release of it', async () => {
  const a = await app('longwatch', 'strategy: { scaleDownDelay: 1s, watch: 30s, progressDeadline: 20s }');
  const v1 = a.v1;
  const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, a.yaml()), 'v2');
  await waitForRevision(t.client, 'longwatch', v2);
  const [instance] = (
    await waitFor(
      'v1 retired after scaleDownDelay',
      async () => {
        const s = await t.client.status('longwatch');
        return s.instances.length === 1 && s.instances[0]!.revision === v2 ? s : undefined;
      },
      15_000,
    )
  ).instances;
  await get(`http://${instance!.endpoint}/exit`); // a crash after the warm period
  const back = await waitFor(
    'a rollback release of v1 live',
    async () => {
      const rows = await t.client.releases('longwatch');
      const rollback = rows.find((r) => r.trigger === 'rollback' && r.revision === v1 && r.live);
      const bad = rows.find((r) => r.revision === v2);
      return rollback && bad?.status === 'RolledBack' ? rollback : undefined;
    },
    30_000,
  );
  assert.match(back.message ?? '', /crashed after the cut-over/);
  assert.equal((await get(a.url)).body, 'v1');
  const events = await t.client.events({ app: 'longwatch', limit: 50 });
  assert.ok(
    events.some((e) => e.type === 'RolledBack' && e.message.includes(v1.slice(0, 7))),
    JSON.stringify(events.map((e) => `${e.type}: ${e.message}`)),
  );
});

test('rolling update under load: one instance at a time, zero failed requests', async () => {
  const a = await app(
    'roller',
    'replicas: 3\nstrategy: { type: rolling, maxSurge: 1, maxUnavailable: 0, progressDeadline: 20s }',
  );
  const load = startLoad(a.url, { concurrency: 4, pauseMs: 5, maxRequests: 50_000 });
  const v2 = a.repo.commit(sampleAppFiles({ version: 'v2', startDelayMs: 300 }, a.yaml()), 'v2');
  const release = await waitForRevision(t.client, 'roller', v2);
  assert.equal(release.status, 'Succeeded');
  await waitFor(
    'only v2 serves',
    async () => {
      const s = await t.client.status('roller');
      return s.instances.length === 3 && s.instances.every((i) => i.revision === v2 && i.ready);
    },
    30_000,
  );
  await waitFor('the load served by v2', () => load.result.bodies.includes('v2'), 10_000);
  const result = await load.stop();
  assert.equal(result.failed, 0, result.failures.join('; '));
  assert.deepEqual(result.bodies, ['v1', 'v2']);
});

test('recreate never runs two copies at once', async () => {
  const a = await app('single', 'strategy: { type: recreate, progressDeadline: 20s }');
  let most = 0;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const running = (await t.client.status('single')).instances.filter((i) => i.phase !== 'Exited').length;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, a.yaml()), 'v2');
  const release = await waitForRevision(t.client, 'single', v2);
  watching = false;
  await watcher;
  assert.equal(release.status, 'Succeeded');
  assert.equal(most, 1, 'two instances ran at once');
  await waitFor('v2 served', async () => (await get(a.url)).body === 'v2', 20_000);
});

test('wandol scale adds and removes instances; new ones get traffic once ready', async () => {
  await app('scaler', '');
  await t.client.scale('scaler', 3);
  await waitFor('3 ready', async () => (await t.client.status('scaler')).replicas.ready === 3, 30_000);
  await t.client.scale('scaler', 1);
  await waitFor('back to 1', async () => (await t.client.status('scaler')).instances.length === 1, 30_000);
});

test('an instance over its memory limit is OOMKilled and restarted', async () => {
  const a = await app('hungry', 'resources: { memory: 128Mi }');
  const [first] = (await t.client.status('hungry')).instances;
  await get(`${a.url}leak`);
  const status = await waitFor(
    'OOMKilled and back',
    async () => {
      const s = await t.client.status('hungry');
      const i = s.instances.find((x) => x.id === first!.id);
      return i?.lastExit?.reason === 'OOMKilled' && i.ready ? s : undefined;
    },
    30_000,
  );
  assert.equal(status.instances[0]?.lastExit?.code, 137);
});
