import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../core/logger.js';
import { get } from '../../../test/support/load.js';
import { tempDir } from '../../../test/support/temp-dir.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { runtimeContract } from '../runtime-contract.js';
import { OOM_KILLED, type InstanceSpec } from '../runtime.js';
import { containerName } from './container-spec.js';
import { dockerEngine } from './docker-engine.js';
import { DockerRuntime } from './docker-runtime.js';
import { BUSYBOX_IMAGE, dockerSkipReason, removeScope } from './docker-test-engine.js';

const skip = dockerSkipReason();
const MiB = 1024 * 1024;
/** Serves HTTP on $PORT; exits 3 once /tmp/crash exists; exits 0 on SIGTERM. */
const SERVER = `trap 'exit 0' TERM; httpd -p "$PORT" -h /var/www; while [ ! -e /tmp/crash ]; do sleep 0.2; done; exit 3`;

/** A busybox instance spec under `dir` (its app log is `<dir>/<app>.log`). */
function busyboxSpec(dir: string, app: string, id: string, extra: Partial<InstanceSpec> = {}): InstanceSpec {
  return {
    id,
    app,
    releaseId: 1,
    revision: 'a'.repeat(40),
    slot: 'blue',
    workdir: '/',
    image: BUSYBOX_IMAGE,
    command: SERVER,
    port: 8080,
    env: { GREETING: 'hi' },
    resources: {},
    volumes: [],
    terminationGracePeriodMs: 5000,
    logFile: join(dir, `${app}.log`),
    ...extra,
  };
}

const newScope = (): string => `wandol-test-${randomBytes(4).toString('hex')}`;

if (skip) {
  it('docker runtime contract and engine tests', { skip }, () => undefined);
} else {
  runtimeContract('docker', async () => {
    const scope = newScope();
    const dir = tempDir('wandol-docker-contract-');
    const engine = dockerEngine();
    const runtime = new DockerRuntime({ engine, scope, logger: silentLogger });
    await removeStale(engine.docker);
    return {
      runtime,
      spec: (app, id) => busyboxSpec(dir.path, app, id),
      crash: async (id) => {
        assert.ok(await runtime.probeExec(id, ['touch', '/tmp/crash'], 5000), 'crash file written');
      },
      teardown: async () => {
        await runtime.close();
        await removeScope(engine.docker, scope);
        dir.cleanup();
      },
    };
  });
}

/** Containers of an earlier, interrupted run of the contract (fixed ids) would take the names. */
async function removeStale(docker: ReturnType<typeof dockerEngine>['docker']): Promise<void> {
  const old = await docker.listContainers({ all: true, filters: { label: ['wandol.scope'] } });
  const stale = old.filter(
    (c) => c.Labels['wandol.scope']?.startsWith('wandol-test-') && c.Created * 1000 < Date.now() - 600_000,
  );
  await Promise.all(
    stale.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}

describe('docker runtime against the engine', { skip }, () => {
  const scope = newScope();
  const engine = dockerEngine();
  const dir = tempDir('wandol-docker-runtime-');
  const app = `t${randomBytes(3).toString('hex')}`;
  let runtime: DockerRuntime;
  const logOf = (name = app): string => readFileSync(join(dir.path, `${name}.log`), 'utf8');
  const spec = (id: string, extra: Partial<InstanceSpec> = {}): InstanceSpec =>
    busyboxSpec(dir.path, app, `${app}-1-blue-${id}`, extra);

  before(() => (runtime = new DockerRuntime({ engine, scope })));
  after(async () => {
    await runtime?.close();
    await removeScope(engine.docker, scope);
    dir.cleanup();
  });

  it('publishes the port on 127.0.0.1, sets env and limits, and logs lines with the process prefix', async () => {
    const command = `echo "out $GREETING $PORT"; echo to-err >&2; exec httpd -f -p "$PORT" -h /var/www`;
    const resources = { cpuMillis: 250, memoryBytes: 64 * MiB };
    const s = spec('0', { command, resources, terminationGracePeriodMs: 1000 });
    const instance = await runtime.start(s);
    assert.equal(instance.phase, 'Running');
    assert.equal(instance.endpoint?.host, '127.0.0.1');
    const url = `http://127.0.0.1:${instance.endpoint?.port}/`;
    const res = await waitFor('httpd answers', async () => {
      const answer = await get(url, undefined, 1000);
      return answer.status > 0 && answer;
    });
    assert.equal(res.status, 404); // httpd serving an empty folder: reached it
    await waitFor('both lines logged', () => logOf().includes('to-err') && logOf().includes('out hi 8080'));
    const lines = logOf().trim().split('\n');
    assert.ok(
      lines.some((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z \S+-1-blue-0 out \| out hi 8080$/.test(l)),
      logOf(),
    );
    assert.ok(lines.some((l) => l.endsWith(`${s.id} err | to-err`)));
    const info = await engine.docker.getContainer(containerName(s.id)).inspect();
    assert.equal(info.HostConfig.NanoCpus, 250_000_000);
    assert.equal(info.HostConfig.Memory, 64 * MiB);
    assert.deepEqual(info.HostConfig.LogConfig, {
      Type: 'json-file',
      Config: { 'max-size': '10m', 'max-file': '3' },
    });
    assert.equal(info.Config.Labels['wandol.app'], app);
    assert.equal(info.Config.Labels['wandol.revision'], s.revision);
    const sampled = await waitFor('a usage sample', async () => (await runtime.get(s.id))?.usage);
    assert.ok(sampled.memoryBytes > 0 && sampled.cpuSeconds >= 0);
    await runtime.stop(s.id);
    assert.equal(await runtime.get(s.id), undefined, 'stop removes the container');
  });

  it('keeps named volume data across containers of the same app', async () => {
    const volumes = [{ name: 'data', mountPath: '/data' }];
    const writer = spec('1', { command: 'echo kept-$$ > /data/f', volumes, port: undefined });
    await runtime.start(writer);
    await waitFor('the writer to exit', async () => (await runtime.get(writer.id))?.phase === 'Exited');
    await runtime.forget(writer.id);
    const reader = spec('2', { command: 'cat /data/f', volumes, port: undefined, releaseId: 2 });
    await runtime.start(reader);
    const exited = await waitFor('the reader to exit', async () => {
      const i = await runtime.get(reader.id);
      return i?.phase === 'Exited' && i;
    });
    assert.equal(exited.exitCode, 0);
    await waitFor('the reader output', () => /2 out \| kept-\d+/.test(logOf()));
    await runtime.forget(reader.id);
    const volume = await engine.docker.getVolume(`wandol-${app}-data`).inspect();
    assert.equal(volume.Labels?.['wandol.scope'], scope);
  });

  it('reports a container that exits at once as Exited with its exit code, until forget', async () => {
    const s = spec('3', { command: 'echo bye; exit 7' });
    await runtime.start(s);
    const exited = await waitFor('Exited', async () => {
      const i = (await runtime.list(app)).find((x) => x.id === s.id);
      return i?.phase === 'Exited' && i;
    });
    assert.equal(exited.exitCode, 7);
    assert.equal(exited.endpoint, undefined);
    assert.equal(typeof exited.exitedAt, 'number');
    assert.equal((await runtime.start(s)).phase, 'Exited', 'start of an exited id reports it');
    const running = spec('9');
    await runtime.start(running);
    await assert.rejects(runtime.forget(running.id), { code: 'CONFLICT' });
    await runtime.stop(running.id);
    await runtime.forget(s.id);
    assert.equal(await runtime.get(s.id), undefined);
  });

  it('reports OOMKilled when the memory limit kills the container', async () => {
    const s = spec('4', { command: 'exec tail /dev/zero', resources: { memoryBytes: 16 * MiB } });
    await runtime.start(s);
    const killed = await waitFor('the OOM kill', async () => {
      const i = await runtime.get(s.id);
      return i?.phase === 'Exited' && i;
    });
    assert.equal(killed.reason, OOM_KILLED);
    assert.equal(killed.exitCode, 137);
    await runtime.forget(s.id);
  });

  it('a restarted agent adopts the container and resumes its log with no gap and no duplicate', async () => {
    const command = 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.1; done';
    const logFile = join(dir.path, 'adopt.log');
    const s = spec('5', { command, port: undefined, logFile, terminationGracePeriodMs: 1000 });
    const first = new DockerRuntime({ engine, scope });
    await first.start(s);
    await waitFor('a few ticks', () => logOf('adopt').includes('tick-3'));
    await first.close(); // the agent goes away; the container keeps running
    const written = logOf('adopt').match(/tick-\d+/g)?.length ?? 0;
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(logOf('adopt').match(/tick-\d+/g)?.length, written, 'nothing follows while no agent runs');
    const [adopted] = await runtime.list(app).then((all) => all.filter((i) => i.id === s.id));
    assert.equal(adopted?.phase, 'Running');
    await waitFor(
      'ticks after adoption',
      () => (logOf('adopt').match(/tick-\d+/g)?.length ?? 0) > written + 10,
    );
    await runtime.stop(s.id);
    const ticks = (logOf('adopt').match(/tick-\d+/g) ?? []).map((t) => Number(t.slice(5)));
    assert.deepEqual(
      ticks,
      ticks.map((_, i) => i + 1),
      'every tick once, in order',
    );
  });

  it('runs exec probes inside the container', async () => {
    const s = spec('6');
    await runtime.start(s);
    assert.equal(await runtime.probeExec(s.id, ['test', '-d', '/var/www'], 5000), true);
    assert.equal(await runtime.probeExec(s.id, ['test', '-e', '/nothing'], 5000), false);
    assert.equal(await runtime.probeExec('nobody-1-blue-0', ['true'], 5000), false);
    await runtime.stop(s.id);
  });

  it('refuses a missing image with NOT_FOUND and a name taken by another container with CONFLICT', async () => {
    await assert.rejects(runtime.start(spec('7', { image: 'local/no-such-image:1' })), { code: 'NOT_FOUND' });
    const other = new DockerRuntime({ engine, scope: newScope() });
    const s = spec('8');
    await runtime.start(s);
    await assert.rejects(other.start(s), { code: 'CONFLICT' });
    assert.equal(await other.get(s.id), undefined, 'another scope does not see it');
    assert.deepEqual(await other.list(app), []);
    await runtime.stop(s.id);
  });
});

describe('docker runtime without an engine', () => {
  it('says the engine is not reachable and what to do', async () => {
    const runtime = new DockerRuntime({ engine: dockerEngine({ socketPath: '/tmp/wandol-no-docker.sock' }) });
    const expected = {
      code: 'DATAPLANE_UNREACHABLE',
      message:
        'the Docker engine is not reachable at /tmp/wandol-no-docker.sock: start dockerd or set DOCKER_HOST',
    };
    await assert.rejects(runtime.list(), expected);
    await assert.rejects(runtime.start(busyboxSpec('/tmp', 'x', 'x-1-blue-0')), expected);
    await assert.rejects(runtime.ping(), expected);
  });
});
