import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstanceSpec } from '../runtime.js';
import { instanceOf, mayBeUnreportedOom, phaseOf, type InspectedContainer } from './container-instance.js';
import { containerCreateOptions } from './container-spec.js';
import { usageOf } from './container-stats.js';

const spec: InstanceSpec = {
  id: 'web-3-green-1',
  app: 'web',
  releaseId: 3,
  revision: 'c'.repeat(40),
  slot: 'green',
  workdir: '/unused',
  image: 'web:ccccccc',
  port: 3000,
  env: { NODE_ENV: 'production' },
  resources: { cpuMillis: 500, memoryBytes: 256 * 2 ** 20 },
  volumes: [{ name: 'data', mountPath: '/app/data' }],
  terminationGracePeriodMs: 2500,
  logFile: '/data/apps/web/logs/app.log',
};

describe('containerCreateOptions', () => {
  it('names, labels, publishes on 127.0.0.1 only, limits, mounts and bounds Docker logs', () => {
    const o = containerCreateOptions(spec, { 'wandol.scope': 's1' });
    assert.equal(o.name, 'wandol-web-3-green-1');
    assert.deepEqual(o.Env, ['NODE_ENV=production', 'PORT=3000']);
    assert.equal(o.Cmd, undefined, "the image's CMD is kept without run.command");
    assert.deepEqual(o.Labels, {
      'wandol.scope': 's1',
      'wandol.app': 'web',
      'wandol.release': '3',
      'wandol.slot': 'green',
      'wandol.instance': 'web-3-green-1',
      'wandol.revision': 'c'.repeat(40),
      'wandol.log-file': '/data/apps/web/logs/app.log',
      'wandol.port': '3000',
    });
    assert.equal(o.StopTimeout, 3);
    assert.deepEqual(o.HostConfig?.PortBindings, { '3000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    assert.equal(o.HostConfig?.NanoCpus, 500_000_000);
    assert.equal(o.HostConfig?.Memory, 256 * 2 ** 20);
    assert.equal(o.HostConfig?.MemorySwap, 256 * 2 ** 20);
    assert.deepEqual(o.HostConfig?.Mounts, [
      { Type: 'volume', Source: 'wandol-web-data', Target: '/app/data' },
    ]);
    assert.deepEqual(o.HostConfig?.LogConfig, {
      Type: 'json-file',
      Config: { 'max-size': '10m', 'max-file': '3' },
    });
  });

  it('runs run.command with /bin/sh -c; no port, no binding', () => {
    const o = containerCreateOptions({ ...spec, command: 'node worker.js', port: undefined, resources: {} });
    assert.deepEqual(o.Cmd, ['/bin/sh', '-c', 'node worker.js']);
    assert.equal(o.HostConfig?.PortBindings, undefined);
    assert.equal(o.HostConfig?.Memory, undefined);
  });

  it('refuses a bad id or a missing image', () => {
    assert.throws(() => containerCreateOptions({ ...spec, id: 'Bad Id' }), { code: 'INVALID_NAME' });
    assert.throws(() => containerCreateOptions({ ...spec, image: undefined }), { code: 'INVALID_CONFIG' });
  });
});

const inspected = (state: Partial<InspectedContainer['State']>): InspectedContainer => ({
  Created: '2026-01-01T00:00:00.5Z',
  State: {
    Status: 'running',
    Running: true,
    OOMKilled: false,
    Pid: 42,
    ExitCode: 0,
    StartedAt: '2026-01-01T00:00:01.123456789Z',
    FinishedAt: '0001-01-01T00:00:00Z',
    ...state,
  },
  Config: { Labels: containerCreateOptions(spec).Labels ?? {} },
  NetworkSettings: {
    Ports: { '3000/tcp': [{ HostIp: '127.0.0.1', HostPort: '49153' }] },
  },
});

describe('instanceOf', () => {
  it('maps a running container with its endpoint', () => {
    const instance = instanceOf(inspected({}));
    assert.deepEqual(instance, {
      id: 'web-3-green-1',
      app: 'web',
      releaseId: 3,
      revision: 'c'.repeat(40),
      slot: 'green',
      phase: 'Running',
      startedAt: Date.parse('2026-01-01T00:00:01.123Z'),
      endpoint: { host: '127.0.0.1', port: 49153 },
      pid: 42,
    });
  });

  it('maps an OOM-killed container to Exited with 137 and OOMKilled, without endpoint', () => {
    const finished = '2026-01-01T00:01:00Z';
    const instance = instanceOf(
      inspected({
        Status: 'exited',
        Running: false,
        Pid: 0,
        ExitCode: 137,
        OOMKilled: true,
        FinishedAt: finished,
      }),
    );
    assert.equal(instance?.phase, 'Exited');
    assert.equal(instance?.exitCode, 137);
    assert.equal(instance?.reason, 'OOMKilled');
    assert.equal(instance?.exitedAt, Date.parse(finished));
    assert.equal(instance?.endpoint, undefined);
  });

  it('is undefined for a container wandol did not label', () => {
    assert.equal(instanceOf({ ...inspected({}), Config: { Labels: { other: 'x' } } }), undefined);
  });

  it('phases follow Docker states', () => {
    const table: [string, string][] = [
      ['created', 'Starting'],
      ['restarting', 'Starting'],
      ['running', 'Running'],
      ['paused', 'Running'],
      ['exited', 'Exited'],
      ['dead', 'Exited'],
    ];
    for (const [status, phase] of table) assert.equal(phaseOf(status), phase, status);
  });
});

describe('mayBeUnreportedOom', () => {
  const finished = Date.parse('2026-01-01T00:01:00Z');
  const killed = (state: Partial<InspectedContainer['State']>, memory = 256 * 2 ** 20) => ({
    ...inspected({
      Status: 'exited',
      Running: false,
      Pid: 0,
      ExitCode: 137,
      FinishedAt: '2026-01-01T00:01:00Z',
      ...state,
    }),
    HostConfig: { Memory: memory },
  });

  it('is true only for a fresh 137 exit of a memory-limited container not marked OOMKilled', () => {
    assert.equal(mayBeUnreportedOom(killed({}), finished + 500), true);
    assert.equal(mayBeUnreportedOom(killed({ OOMKilled: true }), finished + 500), false, 'already reported');
    assert.equal(mayBeUnreportedOom(killed({ ExitCode: 1 }), finished + 500), false, 'not a SIGKILL');
    assert.equal(mayBeUnreportedOom(killed({}, 0), finished + 500), false, 'no memory limit');
    assert.equal(mayBeUnreportedOom(killed({}), finished + 10_000), false, 'long exited');
    assert.equal(
      mayBeUnreportedOom({ ...inspected({}), HostConfig: { Memory: 1 } }, finished),
      false,
      'running',
    );
  });
});

describe('usageOf', () => {
  it('takes CPU seconds and memory less inactive page cache', () => {
    const usage = usageOf({
      read: '2026-01-01T00:00:02Z',
      cpu_stats: { cpu_usage: { total_usage: 2_500_000_000 } },
      memory_stats: { usage: 10_000_000, stats: { total_inactive_file: 4_000_000 } },
    });
    assert.deepEqual(usage, {
      cpuSeconds: 2.5,
      memoryBytes: 6_000_000,
      sampledAt: Date.parse('2026-01-01T00:00:02Z'),
    });
  });

  it('skips the empty samples of a stopped container', () => {
    assert.equal(
      usageOf({
        read: '0001-01-01T00:00:00Z',
        cpu_stats: { cpu_usage: { total_usage: 0 } },
        memory_stats: {},
      }),
      undefined,
    );
  });
});
