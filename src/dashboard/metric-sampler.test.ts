import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppStatus, InstanceStatus, MetricPoint } from '../api/wire.js';
import { emptyHistogram, LATENCY_BUCKETS_MS, observe } from '../router/latency-histogram.js';
import type { TrafficSnapshot } from '../router/route.js';
import { MetricSampler, pointBetween, type AppCounters } from './metric-sampler.js';
import { agentMetricSource } from './metric-source.js';

function histogram(...ms: number[]): number[] {
  const counts = emptyHistogram();
  for (const m of ms) observe(counts, m);
  return counts;
}

function counters(patch: Partial<AppCounters> = {}): AppCounters {
  return {
    app: 'hello',
    requests: 0,
    failed: 0,
    latency: emptyHistogram(),
    cpuSeconds: 0,
    memoryBytes: 0,
    ready: 1,
    desired: 1,
    ...patch,
  };
}

describe('pointBetween', () => {
  const cases: {
    name: string;
    before: Partial<AppCounters>;
    now: Partial<AppCounters>;
    want: Partial<MetricPoint>;
  }[] = [
    {
      name: 'rates over the interval, p99 of the window only',
      before: {
        requests: 100,
        failed: 1,
        latency: histogram(...Array<number>(100).fill(3000)),
        cpuSeconds: 5,
      },
      now: {
        requests: 300,
        failed: 21,
        latency: histogram(...Array<number>(100).fill(3000), ...Array<number>(196).fill(4), 40, 40, 40, 40),
        cpuSeconds: 10,
        memoryBytes: 123,
      },
      want: { requestsPerSecond: 20, errorsPerSecond: 2, p99Ms: 50, cpuCores: 0.5, memoryBytes: 123 },
    },
    {
      name: 'no request: p99 is null, rates zero',
      before: { requests: 7, latency: histogram(1) },
      now: { requests: 7, latency: histogram(1) },
      want: { requestsPerSecond: 0, errorsPerSecond: 0, p99Ms: null, cpuCores: 0 },
    },
    {
      name: 'counters that went down (router restarted) count from zero',
      before: { requests: 500, failed: 9, latency: histogram(...Array<number>(500).fill(1)), cpuSeconds: 50 },
      now: { requests: 30, failed: 0, latency: histogram(...Array<number>(30).fill(100)), cpuSeconds: 2 },
      want: { requestsPerSecond: 3, errorsPerSecond: 0, p99Ms: 100, cpuCores: 0.2 },
    },
    {
      name: 'slow requests beyond the last bound report the largest bound',
      before: {},
      now: { requests: 1, latency: histogram(999_999) },
      want: { p99Ms: LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const point = pointBetween({ ...counters(c.before), at: 0 }, { ...counters(c.now), at: 10_000 });
      assert.equal(point.at, 0, 'a point is stamped with the start of its interval');
      for (const [key, value] of Object.entries(c.want))
        assert.equal(point[key as keyof MetricPoint], value, key);
    });
  }
});

describe('MetricSampler', () => {
  it('stores one point per app per interval, from the second sample on', async () => {
    let t = 50_000;
    let reads: AppCounters[] = [counters({ app: 'a' }), counters({ app: 'b', requests: 10 })];
    const stored: [string, MetricPoint][] = [];
    const sampler = new MetricSampler({
      store: { insert: (app, point) => stored.push([app, point]) },
      source: async () => reads,
      clock: { now: () => t },
    });
    await sampler.sample();
    assert.equal(stored.length, 0, 'the first sample is only a baseline');
    t += 10_000;
    reads = [
      counters({ app: 'a', requests: 50, ready: 2, desired: 3 }),
      counters({ app: 'b', requests: 10 }),
    ];
    await sampler.sample();
    assert.deepEqual(
      stored.map(([app, p]) => [app, p.at, p.requestsPerSecond, p.replicasReady, p.replicasDesired]),
      [
        ['a', 50_000, 5, 2, 3],
        ['b', 50_000, 0, 1, 1],
      ],
    );
    t += 10_000;
    reads = [counters({ app: 'b', requests: 20 })];
    await sampler.sample();
    t += 10_000;
    reads = [counters({ app: 'a', requests: 60 }), counters({ app: 'b', requests: 20 })];
    await sampler.sample();
    assert.deepEqual(
      stored.slice(2).map(([app, p]) => [app, p.at]),
      [
        ['b', 60_000],
        ['b', 70_000],
      ],
      'an app that disappeared starts again from a baseline',
    );
  });

  it('survives a failing source and a failing store', async () => {
    let t = 0;
    let fail = true;
    const sampler = new MetricSampler({
      store: {
        insert: () => {
          throw new Error('disk full');
        },
      },
      source: async () => {
        if (fail) throw new Error('agent busy');
        return [counters()];
      },
      clock: { now: () => (t += 1000) },
    });
    await sampler.sample();
    fail = false;
    await sampler.sample();
    await sampler.sample();
  });

  it('start() samples at once and then every interval; stop() ends it', async () => {
    let reads = 0;
    const sampler = new MetricSampler({
      store: { insert: () => undefined },
      source: async () => {
        reads++;
        return [];
      },
      intervalMs: 20,
    });
    sampler.start();
    sampler.start();
    assert.equal(reads, 1);
    await new Promise((resolve) => setTimeout(resolve, 110));
    await sampler.stop();
    const after = reads;
    assert.ok(after >= 3, `sampled ${after} times`);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(reads, after);
  });
});

describe('agentMetricSource', () => {
  const instance = (
    id: string,
    cpuSeconds: number,
    memoryBytes: number,
    phase = 'Running',
  ): InstanceStatus => ({
    id,
    revision: 'r',
    releaseId: 1,
    slot: 'blue',
    endpoint: null,
    ready: true,
    phase,
    restarts: 0,
    lastExit: null,
    usage: { cpuSeconds, memoryBytes },
  });
  const status = (name: string, instances: InstanceStatus[]): AppStatus =>
    ({ name, instances, replicas: { desired: 2, ready: 1 } }) as AppStatus;

  it('reads the router and sums the instances, with CPU as a counter that never goes back', async () => {
    let statuses = [status('hello', [instance('i1', 10, 100), instance('i2', 5, 50)]), status('idle', [])];
    const traffic: TrafficSnapshot = {
      app: 'hello',
      since: 0,
      requests: 42,
      failed: 2,
      inFlight: 0,
      latency: histogram(3),
      byRelease: {},
    };
    const source = agentMetricSource({
      statuses: async () => statuses,
      traffic: async (app) => (app === 'hello' ? traffic : undefined),
    });
    const [hello, idle] = await source();
    assert.deepEqual(
      { ...hello, latency: undefined },
      {
        app: 'hello',
        requests: 42,
        failed: 2,
        latency: undefined,
        cpuSeconds: 15,
        memoryBytes: 150,
        ready: 1,
        desired: 2,
      },
    );
    assert.equal(idle?.requests, 0);
    assert.deepEqual(idle?.latency, emptyHistogram());
    // i2 is gone, i1 went on, i3 is new, an exited one counts its CPU but no memory.
    statuses = [
      status('hello', [instance('i1', 12, 100), instance('i3', 1, 30), instance('i4', 2, 999, 'Exited')]),
    ];
    const [again] = await source();
    assert.equal(again?.cpuSeconds, 15 + 2 + 1 + 2);
    assert.equal(again?.memoryBytes, 130);
  });

  it('reports an app whose router counters cannot be read with zero traffic', async () => {
    const source = agentMetricSource({
      statuses: async () => [status('hello', [])],
      traffic: async () => {
        throw new Error('data plane unreachable');
      },
    });
    const [hello] = await source();
    assert.equal(hello?.requests, 0);
  });
});
