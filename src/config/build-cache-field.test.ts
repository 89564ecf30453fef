import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WandolError } from '../core/errors.js';
import { parseAppSpec } from './parse-app-spec.js';

const spec = (build: string) => parseAppSpec(`run: { command: x }\nbuild:\n${build}`);
const details = (build: string): readonly string[] => {
  try {
    spec(build);
  } catch (err) {
    assert.ok(err instanceof WandolError && err.code === 'INVALID_CONFIG');
    return err.details;
  }
  assert.fail('expected INVALID_CONFIG');
};

describe('build.cache and build.memory', () => {
  it('default to no cache and 1Gi', () => {
    const { build } = parseAppSpec('run: { command: x }');
    assert.deepEqual(build.cache, []);
    assert.equal(build.memoryBytes, 1024 ** 3);
  });

  it('refuse a folder cached twice or inside another cached folder', () => {
    assert.deepEqual(
      details(
        [
          '  cache:',
          '    - { key: [a.lock], paths: [node_modules, dist] }',
          '    - { key: [b.lock], paths: [node_modules/.cache, ./dist/] }',
          '    - { key: [c.lock], paths: [web] }',
        ].join('\n'),
      ),
      [
        'wandol.yaml: build.cache[1].paths[0]: "node_modules/.cache" overlaps "node_modules" of build.cache[0]; cache each folder once',
        'wandol.yaml: build.cache[1].paths[1]: "dist" overlaps "dist" of build.cache[0]; cache each folder once',
      ],
    );
  });

  it('normalise paths and drop repeats within an entry', () => {
    const { build } = spec('  cache: [{ key: [a.lock, ./a.lock], paths: [./x/y/, x/y] }]');
    assert.deepEqual(build.cache, [{ key: ['a.lock'], paths: ['x/y'] }]);
  });

  it('refuse paths that leave the app folder', () => {
    for (const path of ['..', '../x', '/abs', 'a/../../b', '.', '']) {
      const got = details(`  cache: [{ key: [a.lock], paths: [${JSON.stringify(path)}] }]`);
      assert.equal(got.length, 1, path);
      assert.match(got[0] ?? '', /build\.cache\[0\]\.paths: expected a list of relative paths/);
    }
  });
});
