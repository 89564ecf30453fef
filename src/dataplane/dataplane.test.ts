import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dataLayout } from '../core/data-layout.js';
import { silentLogger } from '../core/logger.js';
import type { Instance } from '../runtimes/runtime.js';
import { isAlive, killGroup, nodeServerCommand, testSpec } from '../runtimes/process/supervisor-fixtures.js';
import { freePort } from '../../test/support/free-port.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { waitFor } from '../../test/support/wait-for.js';
import type { DataplaneClient } from './control-client.js';
import { ensureDataplane } from './launch.js';

/** A stand-in agent: ensures the data plane, starts one instance, prints what it got, then idles. */
const AGENT_JS = `
const [launchUrl, loggerUrl, dataDir, specJson] = process.argv.slice(2);
const { ensureDataplane } = await import(launchUrl);
const { silentLogger } = await import(loggerUrl);
const client = await ensureDataplane({ dataDir, listenHost: '127.0.0.1', logger: silentLogger });
const instance = await client.startInstance(JSON.parse(specJson));
console.log(JSON.stringify({ instance, health: await client.health() }));
setInterval(() => {}, 1000);
`;

describe('data-plane daemon', () => {
  const tmp = tempDir('wandol-dataplane-');
  const dataDir = join(tmp.path, 'data');
  const layout = dataLayout(dataDir);
  const clients: DataplaneClient[] = [];
  const groups: number[] = [];

  after(async () => {
    for (const client of clients) await client.shutdown().catch(() => undefined);
    await waitFor('the socket to go', () => !existsSync(layout.dataplaneSocket), 10_000).catch(
      () => undefined,
    );
    // Last resort if a test failed half-way: nothing may outlive the test run.
    const pid = existsSync(layout.dataplanePid)
      ? Number(readFileSync(layout.dataplanePid, 'utf8'))
      : undefined;
    for (const group of [...groups, pid]) killGroup(group);
    for (const client of clients) client.close();
    tmp.cleanup();
  });

  /** Runs AGENT_JS in its own process group and returns what it printed. */
  async function runAgent(
    spec: object,
  ): Promise<{ instance: Instance; health: { pid: number }; agentPid: number }> {
    const script = join(tmp.path, 'agent.mjs');
    writeFileSync(script, AGENT_JS);
    const urls = [
      new URL('./launch.js', import.meta.url).href,
      new URL('../core/logger.js', import.meta.url).href,
    ];
    const args = [script, ...urls, dataDir, JSON.stringify(spec)];
    const agent = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    groups.push(agent.pid ?? 0);
    let out = '';
    agent.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const line = await waitFor(
      'the agent to print its instance',
      () => out.includes('\n') && out.split('\n')[0],
    );
    return { ...JSON.parse(line), agentPid: agent.pid ?? 0 };
  }

  it('outlives an agent killed with SIGKILL, keeps its instances serving, and shuts down cleanly', async () => {
    const spec = testSpec(tmp.path, 'web-1-blue-0', nodeServerCommand(), { app: 'web' });
    const { instance, health, agentPid } = await runAgent(spec);
    groups.push(instance.pid ?? 0);
    process.kill(-agentPid, 'SIGKILL');
    await waitFor('the agent to be gone', () => !isAlive(agentPid));

    // A restarted agent finds the same data plane and the same instance.
    const client = await ensureDataplane({ dataDir, listenHost: '127.0.0.1', logger: silentLogger });
    clients.push(client);
    assert.equal((await client.health())?.pid, health.pid);
    assert.equal((await client.getInstance(spec.id))?.pid, instance.pid);
    const base = `http://127.0.0.1:${instance.endpoint?.port}`;
    await waitFor('the instance to answer', async () => (await fetch(`${base}/healthz`)).status === 200);
    // Its usage, sampled by the daemon's supervisor, comes through the socket.
    const usage = await waitFor(
      'usage of the instance',
      async () => (await client.listInstances('web'))[0]?.usage,
    );
    assert.ok(usage.memoryBytes > 0 && usage.cpuSeconds >= 0 && usage.sampledAt > 0);

    // The router inside the daemon forwards to it.
    const port = await freePort();
    const target = {
      instanceId: spec.id,
      releaseId: 1,
      endpoint: instance.endpoint ?? { host: '', port: 0 },
    };
    await client.setRoute({ app: 'web', port, targets: [target] });
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), spec.revision);
    // So does the router's per-target request count.
    assert.equal((await client.routes()).find((r) => r.app === 'web')?.targets[0]?.requests, 1);

    await client.shutdown(20_000);
    await waitFor('the instance to be gone', () => !isAlive(instance.pid ?? 0));
    await waitFor('the socket to be removed', () => !existsSync(layout.dataplaneSocket));
    await waitFor('the daemon to exit', () => !isAlive(health.pid));
    assert.equal(existsSync(layout.dataplanePid), false);
    assert.equal(await client.health(), undefined);
  });

  it('stops the instances a crashed data plane left behind when it starts again', async () => {
    const first = await ensureDataplane({ dataDir, listenHost: '127.0.0.1', logger: silentLogger });
    clients.push(first);
    const crashed = (await first.health())?.pid ?? 0;
    groups.push(crashed);
    const instance = await first.startInstance(
      testSpec(tmp.path, 'bot-1-blue-0', 'sleep 1000', { app: 'bot' }),
    );
    groups.push(instance.pid ?? 0);
    process.kill(crashed, 'SIGKILL');
    // Its socket refusing connections is the sure sign: a killed multi-threaded process can look
    // like a zombie in /proc while its other threads still hold the socket.
    await waitFor(
      'the data plane to be gone',
      async () => (await first.health().catch(() => 'reset')) === undefined,
    );
    assert.ok(isAlive(instance.pid ?? 0), 'the instance outlives a crashed data plane');

    const second = await ensureDataplane({ dataDir, listenHost: '127.0.0.1', logger: silentLogger });
    clients.push(second);
    assert.notEqual((await second.health())?.pid, crashed);
    await waitFor('the orphaned instance to be stopped', () => !isAlive(instance.pid ?? 0));
    assert.deepEqual(await second.listInstances(), []);
    await second.shutdown();
    await waitFor('the socket to be removed', () => !existsSync(layout.dataplaneSocket));
  });

  it('says DATAPLANE_UNREACHABLE with the log tail when the daemon cannot start', async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const failing = ensureDataplane({
        dataDir,
        listenHost: '127.0.0.1',
        httpPort: port,
        logger: silentLogger,
      });
      await assert.rejects(failing, (err: { code: string; details: string[] }) => {
        assert.equal(err.code, 'DATAPLANE_UNREACHABLE');
        assert.ok(
          err.details.some((line) => line.includes('DataplaneStartFailed')),
          err.details.join('\n'),
        );
        return true;
      });
    } finally {
      blocker.close();
    }
  });
});
