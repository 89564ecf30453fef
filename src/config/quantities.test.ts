import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCpuMillis, parseDurationMs, parseMemoryBytes } from './quantities.js';

function table<T>(name: string, fn: (v: unknown) => T, rows: [unknown, T][]): void {
  void describe(name, () => {
    for (const [input, expected] of rows) {
      it(`${JSON.stringify(input)} → ${String(expected)}`, () => assert.equal(fn(input), expected));
    }
  });
}

table('parseCpuMillis', parseCpuMillis, [
  ['500m', 500],
  ['0.5', 500],
  ['1', 1000],
  [1, 1000],
  [0.25, 250],
  ['1.5', 1500],
  [' 250m ', 250],
  ['0', undefined],
  [0, undefined],
  ['0.0001', undefined],
  ['1.5m', undefined],
  ['-1', undefined],
  ['1 core', undefined],
  [true, undefined],
]);

table('parseMemoryBytes', parseMemoryBytes, [
  ['256Mi', 268_435_456],
  ['1Gi', 1_073_741_824],
  ['512M', 512_000_000],
  ['128974848', 128_974_848],
  [128974848, 128_974_848],
  ['129e6', 129_000_000],
  ['1.5Gi', 1_610_612_736],
  ['64Ki', 65_536],
  ['1k', 1000],
  ['0.5', 1],
  ['256MB', undefined],
  ['256mi', undefined],
  ['0', undefined],
  ['1Ei', undefined],
  [null, undefined],
]);

table('parseDurationMs', parseDurationMs, [
  ['30s', 30_000],
  ['1m30s', 90_000],
  ['500ms', 500],
  ['2h', 7_200_000],
  [30, 30_000],
  [0.5, 500],
  ['10', 10_000],
  ['0s', 0],
  ['30 seconds', undefined],
  [-1, undefined],
  [true, undefined],
]);
