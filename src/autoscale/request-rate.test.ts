import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CounterBases } from './counter-bases.js';
import { requestRate } from './request-rate.js';

describe('requestRate', () => {
  const rows: [string, [number, number], [number, number], number | undefined][] = [
    // [label, [requests, sampledAt ms] before, after, expected req/s]
    ['150 requests in 15 s is 10/s', [50, 0], [200, 15_000], 10],
    ['no request is 0/s', [7, 0], [7, 15_000], 0],
    ['time did not advance', [1, 5000], [2, 5000], undefined],
    ['time went back', [1, 5000], [2, 4000], undefined],
    ['the counter went back (a target created again)', [40, 0], [1, 15_000], undefined],
    ['not a number', [0, 0], [Number.NaN, 1000], undefined],
  ];
  for (const [label, [r0, t0], [r1, t1], expected] of rows) {
    it(label, () => {
      assert.equal(requestRate({ requests: r0, sampledAt: t0 }, { requests: r1, sampledAt: t1 }), expected);
    });
  }
});

describe('CounterBases', () => {
  it('returns the previous reading, keeps an older base over a reading that is not newer, forgets', () => {
    const bases = new CounterBases<{ n: number; sampledAt: number }>();
    assert.equal(bases.advance('a', { n: 1, sampledAt: 10 }), undefined);
    assert.deepEqual(bases.advance('a', { n: 2, sampledAt: 10 }), { n: 1, sampledAt: 10 });
    assert.deepEqual(bases.advance('a', { n: 3, sampledAt: 20 }), { n: 1, sampledAt: 10 });
    assert.deepEqual(bases.advance('a', { n: 4, sampledAt: 30 }), { n: 3, sampledAt: 20 });
    bases.retain(new Set(['b']));
    assert.equal(bases.advance('a', { n: 5, sampledAt: 40 }), undefined);
  });
});
