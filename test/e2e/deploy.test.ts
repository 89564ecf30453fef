// End to end on real parts: a real agent and data-plane daemon, real git remotes, real child
// processes, real HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { WandolError } from '../../src/core/errors.js';
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

const app = (name: string, extra = ''): Promise<SampleApp> => sampleApp(t, dir.path, name, extra);

describe('push to live', () => {
  test('every push goes live through the router with zero failed requests', async () => {
    const a = await app('zero');
    // Bounded, with a pause that leaves room for two deploys on a loaded machine.
    const load = startLoad(a.url, { concurrency: 4, pauseMs: 5, maxRequests: 50_000 });
    const v2 = a.repo.commit(sampleAppFiles({ version: 'v2', startDelayMs: 2500 }, a.yaml()), 'change');
    await waitFor('v2 served', async () => (await get(a.url)).body === 'v2', 60_000);
    const v3 = a.repo.commit(sampleAppFiles({ version: 'v3' }, a.yaml()), 'change');
    await waitFor('v3 served', async () => (await get(a.url)).body === 'v3', 60_000);
    await waitFor('the load served by v3 too', () => load.result.bodies.includes('v3'), 10_000);
    const result = await load.stop();
    assert.equal(result.failed, 0, `failed requests: ${result.failures.join('; ')}`);
    assert.deepEqual(result.bodies, ['v1', 'v2', 'v3']);

    const status = await t.client.status('zero');
    assert.equal(status.revision, v3);
    assert.equal(status.sync, 'Synced');
    assert.equal(status.health, 'Healthy');
    assert.deepEqual(status.replicas, { desired: 1, ready: 1 });
    assert.equal(status.url, a.url);
    const history = await t.client.releases('zero');
    assert.deepEqual(
      history.slice(0, 2).map((r) => r.revision),
      [v3, v2],
    );
    assert.ok(
      history.every((r) => r.status === 'Succeeded'),
      JSON.stringify(history.map((r) => r.status)),
    );
    const closed = await waitFor(
      'v2 traffic window closed',
      async () => {
        const r = (await t.client.releases('zero')).find((x) => x.revision === v2);
        return r?.traffic.window === 'closed' ? r : undefined;
      },
      30_000,
    );
    assert.equal(closed.traffic.failed, 0);
    assert.ok(closed.traffic.requests > 0, 'the cut-over window counted requests');
    await waitFor(
      'only v3 instances left',
      async () => {
        const s = await t.client.status('zero');
        return s.instances.length === 1 && s.instances[0]?.revision === v3;
      },
      30_000,
    );
  });

  test('long requests in flight during the switch finish on the old version', async () => {
    const a = await app('longreq');
    const slow = [1, 2, 3].map(() => get(`${a.url}slow?ms=3000`));
    await new Promise((r) => setTimeout(r, 300));
    const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, a.yaml()), 'change');
    await waitForRevision(t.client, 'longreq', v2);
    const answers = await Promise.all(slow);
    assert.deepEqual(
      answers.map((x) => x.body),
      ['v1 slow', 'v1 slow', 'v1 slow'],
    );
    assert.equal((await get(a.url)).body, 'v2');
  });
});

describe('bad versions never get traffic and the running version keeps serving', () => {
  test('a version that never becomes ready is Failed and stopped', async () => {
    const a = await app('neverready');
    const load = startLoad(a.url, { concurrency: 2 });
    const yaml = a.yaml().replace('progressDeadline: 20s', 'progressDeadline: 3s');
    const v2 = a.repo.commit(sampleAppFiles({ version: 'v2', ready: false }, yaml), 'change');
    const release = await waitForRevision(t.client, 'neverready', v2);
    const result = await load.stop();
    assert.equal(release.status, 'Failed');
    assert.equal(release.error?.code, 'NOT_READY');
    assert.equal(result.failed, 0, result.failures.join('; '));
    assert.deepEqual(result.bodies, ['v1']);
    const status = await t.client.status('neverready');
    assert.equal(status.sync, 'OutOfSync');
    assert.equal(status.health, 'Healthy');
    await waitFor(
      'the failed instance is gone',
      async () => (await t.client.status('neverready')).instances.length === 1,
      15_000,
    );
  });

  test('a version that crashes at boot is Failed with its exit code and last log lines', async () => {
    const a = await app('crashboot');
    const v2 = a.repo.commit(sampleAppFiles({ version: 'v2', crashAtBoot: true }, a.yaml()), 'change');
    const release = await waitForRevision(t.client, 'crashboot', v2);
    assert.equal(release.status, 'Failed');
    assert.equal(release.error?.code, 'CRASHED');
    assert.match(release.error?.message ?? '', /exited with code 3/);
    assert.ok(
      release.error?.details.some((line) => line.includes('boom: crashing at boot')),
      JSON.stringify(release.error),
    );
    assert.equal((await get(a.url)).body, 'v1');
  });

  test('an invalid wandol.yaml is Failed with every bad key path', async () => {
    const a = await app('badyaml');
    const bad = a.yaml().replace('runtime: process', 'runtime: process\nreplicas: many\nstrategy2: {}');
    const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, bad), 'change');
    const release = await waitForRevision(t.client, 'badyaml', v2);
    assert.equal(release.status, 'Failed');
    assert.equal(release.error?.code, 'INVALID_CONFIG');
    const details = release.error?.details.join('\n') ?? '';
    assert.match(details, /wandol\.yaml: replicas/);
    assert.match(details, /wandol\.yaml: strategy2/);
    const status = await t.client.status('badyaml');
    assert.equal(status.lastError?.code, 'INVALID_CONFIG');
    assert.equal((await get(a.url)).body, 'v1');
  });

  test('a failing build is Failed with its log kept, nothing running touched', async () => {
    const a = await app('badbuild');
    const yaml = a
      .yaml()
      .replace('build: { command: "node -e 0" }', 'build: { command: "echo compiling; exit 4" }');
    const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, yaml), 'change');
    const release = await waitForRevision(t.client, 'badbuild', v2);
    assert.equal(release.status, 'Failed');
    assert.equal(release.error?.code, 'BUILD_FAILED');
    assert.ok(
      release.error?.details.some((l) => l.includes('compiling')),
      JSON.stringify(release.error),
    );
    assert.ok(existsSync(`${t.dataDir}/apps/badbuild/logs/build-${v2}.log`));
    assert.equal((await get(a.url)).body, 'v1');
  });

  test('an unreachable repository shows in status; a hostile name is refused', async () => {
    await t.client.addApp({ name: 'nowhere', repo: `${dir.path}/missing.git`, pollMs: 300 });
    const status = await waitFor('a source error in status', async () => {
      const s = await t.client.status('nowhere');
      return s.lastError ? s : undefined;
    });
    assert.equal(status.lastError?.code, 'SOURCE_UNREACHABLE');
    assert.equal(status.health, 'Degraded');
    for (const name of ['bad;name', '../etc', 'has space', 'UPPER']) {
      await assert.rejects(
        t.client.addApp({ name, repo: `${dir.path}/x.git` }),
        (err: unknown) => err instanceof WandolError && err.code === 'INVALID_NAME',
      );
    }
  });
});
