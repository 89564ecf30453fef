import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { didYouMean } from './did-you-mean.js';
import { formatPath } from './problem.js';

describe('didYouMean', () => {
  const keys = ['path', 'port', 'httpHeaders', 'scheme'];
  for (const [typo, expected] of [
    ['pth', 'path'],
    ['prot', 'port'],
    ['httpheaders', 'httpHeaders'],
    ['Scheme', 'scheme'],
    ['host', undefined],
    ['x', undefined],
  ] as const) {
    it(`${typo} → ${String(expected)}`, () => assert.equal(didYouMean(typo, keys), expected));
  }
});

describe('formatPath', () => {
  it('writes dots, [i] for lists and quotes odd keys', () => {
    assert.equal(formatPath(['probes', 'readiness', 'httpGet', 'path']), 'probes.readiness.httpGet.path');
    assert.equal(formatPath(['volumes', 0, 'name']), 'volumes[0].name');
    assert.equal(formatPath(['env', 'my var']), 'env["my var"]');
    assert.equal(formatPath([]), '');
  });
});
