import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyHistogram, LATENCY_BUCKETS_MS } from '../router/latency-histogram.js';
import { cumulativeHistogram, LATENCY_BUCKETS_SECONDS } from './router-latency-histogram.js';

const counts = (at: Record<number, number>): number[] => {
  const c = emptyHistogram();
  for (const [i, n] of Object.entries(at)) c[Number(i)] = n;
  return c;
};

describe('cumulativeHistogram', () => {
  it('has one le per router bound, in seconds, then +Inf', () => {
    const { buckets } = cumulativeHistogram(emptyHistogram());
    assert.equal(buckets.length, LATENCY_BUCKETS_MS.length + 1);
    assert.deepEqual(
      buckets.map((b) => b.le),
      [...LATENCY_BUCKETS_SECONDS.map(String), '+Inf'],
    );
    assert.deepEqual(LATENCY_BUCKETS_SECONDS.slice(0, 4), [0.001, 0.002, 0.005, 0.01]);
  });

  const table: {
    name: string;
    counts: number[];
    cumulative: Record<string, number>;
    sum: number;
    count: number;
  }[] = [
    { name: 'empty', counts: emptyHistogram(), cumulative: { '0.001': 0, '+Inf': 0 }, sum: 0, count: 0 },
    // 0–1 ms counts at 0.5 ms; 1–2 ms at 1.5 ms.
    {
      name: 'first buckets',
      counts: counts({ 0: 2, 1: 2 }),
      cumulative: { '0.001': 2, '0.002': 4, '+Inf': 4 },
      sum: 0.004,
      count: 4,
    },
    // 30–60 s at 45 s; +Inf at 60 s.
    {
      name: 'slow tail',
      counts: counts({ 14: 1, 15: 1 }),
      cumulative: { '30': 0, '60': 1, '+Inf': 2 },
      sum: 105,
      count: 2,
    },
    {
      name: 'extra counts go to +Inf',
      counts: [...emptyHistogram(), 3],
      cumulative: { '60': 0, '+Inf': 3 },
      sum: 180,
      count: 3,
    },
    {
      name: 'short and bad counts',
      counts: [1, -4, Number.NaN],
      cumulative: { '0.001': 1, '0.005': 1, '+Inf': 1 },
      sum: 0.0005,
      count: 1,
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const h = cumulativeHistogram(row.counts);
      for (const [le, n] of Object.entries(row.cumulative))
        assert.equal(h.buckets.find((b) => b.le === le)?.value, n, `le=${le}`);
      assert.equal(h.sum, row.sum);
      assert.equal(h.count, row.count);
    });
  }
});
