import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricPoint } from '../api/wire.js';
import { openDatabase } from './database.js';
import { MetricStore } from './metric-store.js';

const point = (at: number, patch: Partial<MetricPoint> = {}): MetricPoint => ({
  at,
  requestsPerSecond: 1,
  p99Ms: 5,
  errorsPerSecond: 0,
  cpuCores: 0.25,
  memoryBytes: 1000,
  replicasReady: 1,
  replicasDesired: 1,
  ...patch,
});

describe('MetricStore', () => {
  it('round-trips points per app, oldest first, from `since` on', () => {
    const now = 10_000_000;
    const store = new MetricStore(openDatabase(':memory:'), { clock: { now: () => now } });
    store.insert('a', point(now - 20_000, { p99Ms: null }));
    store.insert('a', point(now - 10_000, { requestsPerSecond: 2.5 }));
    store.insert('b', point(now - 10_000));
    assert.deepEqual(store.list('a', 0), [
      point(now - 20_000, { p99Ms: null }),
      point(now - 10_000, { requestsPerSecond: 2.5 }),
    ]);
    assert.deepEqual(
      store.list('a', now - 10_000).map((p) => p.at),
      [now - 10_000],
    );
    assert.equal(store.count('a', 0), 2);
    assert.deepEqual(store.list('ghost', 0), []);
  });

  it('replaces a point of the same app and time', () => {
    const store = new MetricStore(openDatabase(':memory:'));
    const at = Date.now();
    store.insert('a', point(at));
    store.insert('a', point(at, { requestsPerSecond: 9 }));
    assert.deepEqual(
      store.list('a', 0).map((p) => p.requestsPerSecond),
      [9],
    );
  });

  it('prunes points older than the retention (7 days by default) on insert', () => {
    let now = 30 * 24 * 3600_000;
    const store = new MetricStore(openDatabase(':memory:'), { clock: { now: () => now } });
    const week = 7 * 24 * 3600_000;
    store.insert('a', point(now - week - 1));
    store.insert('b', point(now - week + 10));
    assert.deepEqual(store.list('a', 0), [], 'too old already');
    now += 20;
    store.insert('a', point(now));
    assert.deepEqual(store.list('b', 0), [], 'pruned across apps');
    assert.equal(store.count('a', 0), 1);
  });

  it('rolls points up into steps: averages, the worst p99, the fewest ready and the most desired', () => {
    const store = new MetricStore(openDatabase(':memory:'), { clock: { now: () => 1_000_000 } });
    store.insert(
      'a',
      point(600_000, { requestsPerSecond: 1, p99Ms: 10, replicasReady: 2, replicasDesired: 2 }),
    );
    store.insert(
      'a',
      point(610_000, { requestsPerSecond: 3, p99Ms: 50, replicasReady: 1, replicasDesired: 3 }),
    );
    store.insert('a', point(660_000, { requestsPerSecond: 7, p99Ms: null }));
    const steps = store.rollup('a', 0, 60_000);
    assert.deepEqual(
      steps.map((p) => [p.at, p.requestsPerSecond, p.p99Ms, p.replicasReady, p.replicasDesired]),
      [
        [600_000, 2, 50, 1, 3],
        [660_000, 7, null, 1, 1],
      ],
    );
  });

  it('removes an app idempotently', () => {
    const store = new MetricStore(openDatabase(':memory:'));
    store.insert('a', point(Date.now()));
    store.removeApp('a');
    store.removeApp('a');
    assert.equal(store.count('a', 0), 0);
  });
});
