import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveDataDir } from './data-dir.js';

describe('resolveDataDir', () => {
  const cases: [string, { flag?: string; env: NodeJS.ProcessEnv }, string][] = [
    ['--data wins over WANDOL_DATA', { flag: 'mine', env: { WANDOL_DATA: '/env' } }, '/work/mine'],
    ['an absolute --data stays', { flag: '/abs/d', env: {} }, '/abs/d'],
    ['WANDOL_DATA when no flag', { env: { WANDOL_DATA: 'rel' } }, '/work/rel'],
    ['an empty WANDOL_DATA is ignored', { env: { WANDOL_DATA: '' } }, '/work/.wandol'],
    ['./.wandol by default', { env: {} }, '/work/.wandol'],
  ];
  for (const [label, opts, expected] of cases) {
    it(label, () => assert.equal(resolveDataDir({ ...opts, cwd: '/work' }), expected));
  }
  it('refuses an empty --data', () => {
    assert.throws(() => resolveDataDir({ flag: '', env: {}, cwd: '/work' }), { code: 'USAGE' });
  });
});
