import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataplaneClient } from '../../dataplane/control-client.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { runtimeContract } from '../runtime-contract.js';
import { inProcessDataplane } from './dataplane-fixtures.js';
import { ProcessRuntime } from './process-runtime.js';
import { nodeServerCommand, testSpec } from './supervisor-fixtures.js';

runtimeContract('process', async () => {
  const dp = await inProcessDataplane();
  const runtime = new ProcessRuntime(dp.client);
  return {
    runtime,
    spec: (app, id) => testSpec(dp.tmp.path, id, nodeServerCommand(), { app }),
    crash: async (id) => {
      const instance = await runtime.get(id);
      const url = `http://127.0.0.1:${instance?.endpoint?.port}/exit`;
      // The app may still be binding its port: retry until it answers.
      for (let i = 0; i < 100; i++) {
        if (
          await fetch(url)
            .then(() => true)
            .catch(() => false)
        )
          return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`instance ${id} never answered on ${url}`);
    },
    teardown: dp.teardown,
  };
});

describe('data-plane control socket', () => {
  let dp: Awaited<ReturnType<typeof inProcessDataplane>>;
  before(async () => (dp = await inProcessDataplane()));
  after(async () => dp.teardown());

  it('answers health, routes and traffic, with 404 as undefined', async () => {
    const health = await dp.client.health();
    assert.equal(health?.pid, process.pid);
    assert.equal(health?.version, 1);
    const target = { instanceId: 'web-1-blue-0', releaseId: 1, endpoint: { host: '127.0.0.1', port: 1234 } };
    await dp.client.setRoute({ app: 'web', port: 8081, targets: [target] });
    assert.equal((await dp.client.routes())[0]?.targets[0]?.instanceId, 'web-1-blue-0');
    assert.equal((await dp.client.traffic('web'))?.app, 'web');
    await dp.client.removeRoute('web');
    assert.equal(await dp.client.traffic('web'), undefined);
    assert.equal(await dp.client.getInstance('nobody-1-blue-0'), undefined);
  });

  it('refuses bad bodies with USAGE and details, and keeps serving', async () => {
    const bad = { ...testSpec(dp.tmp.path, 'Bad Id', 'true'), env: { X: 1 } } as never;
    await assert.rejects(dp.client.startInstance(bad), (err: { code: string; details: string[] }) => {
      assert.equal(err.code, 'USAGE');
      assert.ok(err.details.some((d) => d.startsWith('id:')));
      assert.ok(err.details.some((d) => d.startsWith('env.X:')));
      return true;
    });
    assert.ok(await dp.client.health());
  });

  it('answers shutdown with 202, then calls its callback', async () => {
    await dp.client.shutdown();
    await waitFor('the shutdown callback', () => dp.shutdowns() === 1);
  });

  it('reports DATAPLANE_UNREACHABLE, or no health, when nothing listens', async () => {
    const client = new DataplaneClient(join(dp.tmp.path, 'run', 'nothing.sock'));
    assert.equal(await client.health(), undefined);
    await assert.rejects(client.listInstances(), { code: 'DATAPLANE_UNREACHABLE' });
  });
});
