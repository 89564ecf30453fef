import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../core/logger.js';
import { DataplaneClient } from '../../dataplane/control-client.js';
import { ControlServer } from '../../dataplane/control-server.js';
import type { RouteSpec, RouteState, RouterControl, TrafficSnapshot } from '../../router/route.js';
import { tempDir } from '../../../test/support/temp-dir.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { runtimeContract } from '../runtime-contract.js';
import { ProcessRuntime } from './process-runtime.js';
import { Supervisor } from './supervisor.js';
import { nodeServerCommand, testSpec } from './supervisor-fixtures.js';

/**
 * An in-memory RouterControl: these tests are about instances, and the router has its own tests,
 * so a stub keeps them free of listeners and ports.
 */
class StubRouter implements RouterControl {
  readonly specs = new Map<string, RouteSpec>();
  async setRoute(spec: RouteSpec): Promise<void> {
    this.specs.set(spec.app, spec);
  }
  async removeRoute(app: string): Promise<void> {
    this.specs.delete(app);
  }
  async routes(): Promise<RouteState[]> {
    return [...this.specs.values()].map((s) => ({
      ...s,
      targets: s.targets.map((t) => ({ ...t, active: true, inFlight: 0, down: false })),
    }));
  }
  async traffic(app: string): Promise<TrafficSnapshot | undefined> {
    if (!this.specs.has(app)) return undefined;
    return { app, since: 0, requests: 0, failed: 0, inFlight: 0, latency: [], byRelease: {} };
  }
}

/** A real Supervisor behind a real control socket, in this process, and a client to it. */
async function inProcessDataplane() {
  const tmp = tempDir('wandol-process-runtime-');
  const supervisor = new Supervisor({
    stateFile: join(tmp.path, 'run', 'instances.json'),
    logger: silentLogger,
  });
  const socketPath = join(tmp.path, 'run', 'dataplane.sock');
  let shutdowns = 0;
  const server = new ControlServer({
    socketPath,
    router: new StubRouter(),
    supervisor,
    logger: silentLogger,
    listenHost: '127.0.0.1',
    onShutdown: () => shutdowns++,
  });
  await server.listen();
  const client = new DataplaneClient(socketPath);
  const teardown = async (): Promise<void> => {
    client.close();
    await supervisor.close();
    await server.close();
    tmp.cleanup();
  };
  return { tmp, supervisor, client, server, teardown, shutdowns: () => shutdowns };
}

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
