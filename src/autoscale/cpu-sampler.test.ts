import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuUtilization, memoryUtilization } from './cpu-sampler.js';

describe('cpuUtilization', () => {
  const rows: [string, [number, number], [number, number], number, number | undefined][] = [
    // [label, [cpuSeconds, sampledAt ms] before, after, cpuMillis, expected %]
    ['250 ms of CPU in 1 s with a 500m request is 50 %', [10, 0], [10.25, 1000], 500, 50],
    ['a full core for 15 s with a 500m request is 200 %', [3, 0], [18, 15_000], 500, 200],
    ['half a core with a 1000m request is 50 %', [0, 1000], [5, 11_000], 1000, 50],
    ['idle is 0 %', [7, 0], [7, 15_000], 250, 0],
    ['time did not advance', [1, 5000], [2, 5000], 500, undefined],
    ['time went back', [1, 5000], [2, 4000], 500, undefined],
    ['the counter went back (a restart)', [40, 0], [1, 15_000], 500, undefined],
    ['no request', [0, 0], [1, 1000], 0, undefined],
  ];
  for (const [label, [c0, t0], [c1, t1], millis, expected] of rows) {
    it(label, () => {
      const got = cpuUtilization(
        { cpuSeconds: c0, sampledAt: t0 },
        { cpuSeconds: c1, sampledAt: t1 },
        millis,
      );
      if (expected === undefined) assert.equal(got, undefined);
      else assert.ok(got !== undefined && Math.abs(got - expected) < 1e-9, `${got} ≈ ${expected}`);
    });
  }
});

describe('memoryUtilization', () => {
  it('is the share of the request in %', () => {
    assert.equal(memoryUtilization(64 * 2 ** 20, 256 * 2 ** 20), 25);
    assert.equal(memoryUtilization(undefined, 256), undefined);
    assert.equal(memoryUtilization(10, undefined), undefined);
    assert.equal(memoryUtilization(10, 0), undefined);
  });
});
