import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../core/errors.js';
import { appFilePath, normaliseAppPath } from './app-path.js';

describe('normaliseAppPath', () => {
  for (const [input, expected] of [
    ['.', '.'],
    ['', '.'],
    ['./', '.'],
    ['api', 'api'],
    ['./services//api/', 'services/api'],
    ['a/../b', 'b'],
  ] as const) {
    it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(normaliseAppPath(input), expected));
  }
  for (const bad of ['..', '../x', 'a/../../x', '/etc', '/']) {
    it(`refuses ${bad}`, () =>
      assert.throws(
        () => normaliseAppPath(bad),
        (err) => hasCode(err, 'USAGE'),
      ));
  }
});

describe('appFilePath', () => {
  it('joins the app folder and the file', () => {
    assert.equal(appFilePath('.', 'wandol.yaml'), 'wandol.yaml');
    assert.equal(appFilePath('./services/api/', 'wandol.yaml'), 'services/api/wandol.yaml');
  });
});
