import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../core/errors.js';
import { IMAGE_TAG, imageTag, sanitiseBranch, type TagInputs } from './tag-format.js';

const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b';
const TIME = new Date('2024-01-29T12:00:00.750Z'); // 1706529600 s

describe('imageTag', () => {
  const cases: { format: Parameters<typeof imageTag>[0]; inputs?: Partial<TagInputs>; tag: string }[] = [
    { format: 'sha7', tag: '9f86d08' },
    { format: 'sha', tag: SHA },
    { format: 'sha', inputs: { sha: SHA.toUpperCase() }, tag: SHA },
    { format: 'branch-sha7-time', tag: 'main-9f86d08-1706529600' },
    {
      format: 'branch-sha7-time',
      inputs: { branch: 'Feature/Login+SSO' },
      tag: 'feature-login-sso-9f86d08-1706529600',
    },
    {
      format: 'branch-sha7-time',
      inputs: { branch: 'release/1.2_x' },
      tag: 'release-1.2_x-9f86d08-1706529600',
    },
    { format: 'branch-sha7-time', inputs: { branch: '.hidden' }, tag: 'hidden-9f86d08-1706529600' },
    { format: 'branch-sha7-time', inputs: { branch: '///' }, tag: 'branch-9f86d08-1706529600' },
    { format: 'branch-sha7-time', inputs: { branch: 'été' }, tag: 't-9f86d08-1706529600' },
  ];
  for (const { format, inputs = {}, tag } of cases) {
    it(`${format} ${JSON.stringify(inputs)} → ${tag}`, () => {
      const result = imageTag(format, { sha: SHA, branch: 'main', time: TIME, ...inputs });
      assert.equal(result, tag);
      assert.match(result, IMAGE_TAG);
    });
  }

  it('shortens a long branch so the tag fits 128 characters, keeping sha and time', () => {
    const tag = imageTag('branch-sha7-time', { sha: SHA, branch: `feature/${'x'.repeat(200)}`, time: TIME });
    assert.equal(tag.length, 128);
    assert.match(tag, IMAGE_TAG);
    assert.ok(tag.endsWith('-9f86d08-1706529600'));
  });

  it('sorts numerically by its time part, as Flux orders them', () => {
    const at = (iso: string): string =>
      imageTag('branch-sha7-time', { sha: SHA, branch: 'main', time: new Date(iso) });
    const ts = (tag: string): number => Number(/-(\d+)$/.exec(tag)?.[1]);
    assert.ok(ts(at('2024-01-29T12:00:01Z')) > ts(at('2024-01-29T12:00:00Z')));
  });

  it('refuses a sha that is not hex and an invalid date', () => {
    const bad = (inputs: TagInputs) => () => imageTag('sha7', inputs);
    assert.throws(bad({ sha: 'main', branch: 'main', time: TIME }), (err) => hasCode(err, 'INTERNAL'));
    assert.throws(
      () => imageTag('branch-sha7-time', { sha: SHA, branch: 'main', time: new Date('nope') }),
      (err) => hasCode(err, 'INTERNAL'),
    );
  });

  it('sanitiseBranch keeps [a-z0-9._-] and drops leading dots and dashes', () => {
    assert.equal(sanitiseBranch('-Dependabot/npm_and_yarn/Foo@2'), 'dependabot-npm_and_yarn-foo-2');
  });
});
