import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WandolError } from '../../core/errors.js';
import type { InstanceSpec } from '../runtime.js';
import { runtimeContract } from '../runtime-contract.js';
import { FakeRuntime } from './fake-runtime.js';

function spec(app: string, id: string, revision = 'abc1234'): InstanceSpec {
  return {
    id,
    app,
    releaseId: 1,
    revision,
    slot: 'blue',
    workdir: '/nonexistent',
    command: 'true',
    env: {},
    resources: {},
    volumes: [],
    terminationGracePeriodMs: 1000,
    logFile: '/nonexistent/app.log',
  };
}

for (const serve of [false, true]) {
  runtimeContract(`fake (serve: ${serve})`, async () => {
    const runtime = new FakeRuntime({ serve });
    return { runtime, spec, crash: (id) => runtime.crash(id, 1), teardown: () => runtime.close() };
  });
}

describe('FakeRuntime hooks', () => {
  const runtime = new FakeRuntime({ serve: true });
  after(() => runtime.close());

  it('serves the revision and /healthz when asked to', async () => {
    const instance = await runtime.start(spec('web', 'web-1-blue-0', 'deadbee'));
    const base = `http://127.0.0.1:${instance.endpoint?.port}`;
    assert.equal(await (await fetch(`${base}/`)).text(), 'deadbee');
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
  });

  it('failNextStart fails one start only', async () => {
    runtime.failNextStart(new WandolError('CRASHED', 'boom'));
    await assert.rejects(runtime.start(spec('web', 'web-1-blue-1')), { code: 'CRASHED' });
    assert.equal((await runtime.start(spec('web', 'web-1-blue-1'))).phase, 'Running');
  });

  it('crash reports the exit code, and forget of a running instance is refused', async () => {
    await runtime.start(spec('web', 'web-1-blue-2'));
    await assert.rejects(runtime.forget('web-1-blue-2'), { code: 'CONFLICT' });
    await runtime.crash('web-1-blue-2', 3);
    const exited = await runtime.get('web-1-blue-2');
    assert.equal(exited?.phase, 'Exited');
    assert.equal(exited?.exitCode, 3);
    assert.ok(runtime.calls.includes('start:web-1-blue-2'));
  });

  it('setUsage shows a usage sample; none before it', async () => {
    await runtime.start(spec('web', 'web-1-blue-3'));
    assert.equal((await runtime.get('web-1-blue-3'))?.usage, undefined);
    const usage = { cpuSeconds: 1.5, memoryBytes: 64 * 1024 * 1024, sampledAt: 1000 };
    await runtime.setUsage('web-1-blue-3', usage);
    assert.deepEqual((await runtime.get('web-1-blue-3'))?.usage, usage);
    assert.deepEqual((await runtime.list('web')).find((i) => i.id === 'web-1-blue-3')?.usage, usage);
    await runtime.setUsage('nobody-1-blue-0', usage);
  });

  it('oomKill reports the instance Exited as OOMKilled with 137 and SIGKILL', async () => {
    await runtime.start(spec('web', 'web-1-blue-4'));
    await runtime.oomKill('web-1-blue-4');
    const exited = await runtime.get('web-1-blue-4');
    assert.equal(exited?.phase, 'Exited');
    assert.equal(exited?.reason, 'OOMKilled');
    assert.equal(exited?.exitCode, 137);
    assert.equal(exited?.signal, 'SIGKILL');
  });
});
