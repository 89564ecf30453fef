import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { waitFor } from '../../../test/support/wait-for.js';
import type { Instance, InstanceUsage } from '../runtime.js';
import { inProcessDataplane } from './dataplane-fixtures.js';
import { groupAlive } from './process-group.js';
import { ProcessRuntime } from './process-runtime.js';
import { killGroup, nodeServerCommand, testSpec } from './supervisor-fixtures.js';

const MIB = 1024 * 1024;

/** `node -e <script>` as a command line for /bin/sh (the script must not hold double quotes). */
const nodeCommand = (script: string): string => `'${process.execPath}' -e "${script}"`;

/**
 * Usage and memory limits of real processes, seen through the whole chain the agent uses:
 * ProcessRuntime → DataplaneClient → control socket → Supervisor (and back, so usage round-trips).
 */
describe('process runtime: usage and memory limits', () => {
  let dp: Awaited<ReturnType<typeof inProcessDataplane>>;
  let runtime: ProcessRuntime;
  const started: Instance[] = [];

  before(async () => {
    dp = await inProcessDataplane();
    runtime = new ProcessRuntime(dp.client);
  });
  afterEach(async () => {
    await Promise.all(started.map((i) => runtime.stop(i.id)));
    for (const instance of started.splice(0)) killGroup(instance.pid);
  });
  after(async () => dp.teardown());

  const start = async (id: string, command: string, memoryBytes?: number): Promise<Instance> => {
    const resources = memoryBytes === undefined ? {} : { memoryBytes };
    const instance = await runtime.start(testSpec(dp.tmp.path, id, command, { resources }));
    started.push(instance);
    return instance;
  };
  const usageOf = async (id: string, after = 0): Promise<InstanceUsage | false> => {
    const usage = (await runtime.list()).find((i) => i.id === id)?.usage;
    return usage !== undefined && usage.sampledAt > after && usage;
  };
  const logOf = (app: string): string => {
    const file = join(dp.tmp.path, 'logs', `${app}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };

  it('says it enforces memory limits', () => {
    assert.equal(runtime.capabilities.memoryLimit, true);
  });

  it('reports usage of a running instance through list and get, and its CPU grows while busy', async () => {
    const { id } = await start('busy-1-blue-0', nodeCommand('for(;;){}'));
    const first = await waitFor('a first usage sample', () => usageOf(id));
    assert.ok(first.memoryBytes > 0, `memoryBytes ${first.memoryBytes}`);
    assert.ok(first.cpuSeconds >= 0);
    const later = await waitFor('a later sample with more CPU time', async () => {
      const usage = await usageOf(id, first.sampledAt);
      return usage && usage.cpuSeconds > first.cpuSeconds && usage;
    });
    assert.ok(later.sampledAt > first.sampledAt);
    const got = await runtime.get(id);
    assert.equal(typeof got?.usage?.cpuSeconds, 'number');
    assert.ok((got?.usage?.cpuSeconds ?? 0) >= later.cpuSeconds, 'cpuSeconds never decreases');
  });

  it('kills the whole group of an instance over its memory limit and reports it OOMKilled', async () => {
    // The allocating node is a child of the shell (`; echo` keeps sh from exec'ing it): the whole
    // group must die at once, so the shell never gets to print `after`.
    const grow = nodeCommand('const a=[];setInterval(()=>a.push(Buffer.alloc(20e6,1)),50)');
    const { id, pid } = await start('hog-1-blue-0', `${grow}; echo after`, 96 * MIB);
    const exited = await waitFor('the instance to be Exited', async () => {
      const instance = await runtime.get(id);
      return instance?.phase === 'Exited' && instance;
    });
    assert.equal(exited.reason, 'OOMKilled');
    assert.equal(exited.exitCode, 137);
    assert.equal(exited.signal, 'SIGKILL');
    assert.ok((exited.usage?.memoryBytes ?? 0) > 96 * MIB, 'the last sample, over the limit, is kept');
    await waitFor('the group to be gone', () => !groupAlive(pid ?? 0));
    const line = await waitFor('the OOMKilled line in the log', () =>
      logOf('hog')
        .split('\n')
        .find((l) => l.includes('wandol: OOMKilled')),
    );
    assert.match(
      line,
      /^\d{4}-\d\d-\d\dT[\d:.]+Z hog-1-blue-0 err \| wandol: OOMKilled: memory use [\d.]+ MiB exceeded the limit of 96 MiB \(resources\.memory\)$/,
    );
    assert.ok(!logOf('hog').includes('out | after'), 'the shell died with its child');
  });

  it('leaves an instance under its limit running', async () => {
    const { id } = await start('calm-1-blue-0', nodeServerCommand(), 256 * MIB);
    const first = await waitFor('a first usage sample', () => usageOf(id));
    const second = await waitFor('a second usage sample', () => usageOf(id, first.sampledAt));
    await waitFor('a third usage sample', () => usageOf(id, second.sampledAt));
    const instance = await runtime.get(id);
    assert.equal(instance?.phase, 'Running');
    assert.equal(instance?.reason, undefined);
    assert.ok((instance?.usage?.memoryBytes ?? 0) < 256 * MIB);
  });

  it('keeps the last sample after a stop, with no reason', async () => {
    const { id } = await start('quiet-1-blue-0', 'sleep 1000');
    await waitFor('a usage sample', () => usageOf(id));
    await runtime.stop(id);
    const instance = await runtime.get(id);
    assert.equal(instance?.phase, 'Exited');
    assert.equal(instance?.reason, undefined);
    assert.ok(instance?.usage);
  });
});
