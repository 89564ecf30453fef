import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryLimitOf, oomLogLine } from './memory-limit.js';
import { testSpec } from './supervisor-fixtures.js';

const MIB = 1024 * 1024;

describe('memoryLimitOf', () => {
  const cases: [number | undefined, number | undefined][] = [
    [undefined, undefined],
    [0, undefined],
    [-1, undefined],
    [Number.NaN, undefined],
    [256 * MIB, 256 * MIB],
  ];
  for (const [memoryBytes, expected] of cases) {
    it(`${memoryBytes} → ${expected}`, () => {
      const spec = testSpec('/tmp', 'app-1-blue-0', 'true', { resources: { memoryBytes } });
      assert.equal(memoryLimitOf(spec), expected);
    });
  }
});

describe('oomLogLine', () => {
  const at = new Date('2024-05-01T12:00:00.000Z');
  it('names the use and the limit in MiB, in the format of an err line', () => {
    assert.equal(
      oomLogLine('web-1-blue-0', 300 * MIB, 256 * MIB, at),
      '2024-05-01T12:00:00.000Z web-1-blue-0 err | wandol: OOMKilled: memory use 300 MiB exceeded the limit of 256 MiB (resources.memory)\n',
    );
  });
  it('rounds use up and the limit down, so they never read the same', () => {
    const line = oomLogLine('web-1-blue-0', 96 * MIB + 1, 96 * MIB, at);
    assert.match(line, /memory use 96\.1 MiB exceeded the limit of 96 MiB/);
    assert.match(oomLogLine('web-1-blue-0', 100e6 + 1, 100e6, at), /use 95\.4 MiB .* limit of 95\.3 MiB/);
  });
});
