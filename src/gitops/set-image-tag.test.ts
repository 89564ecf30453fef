import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { hasCode } from '../core/errors.js';
import { setKustomizeImage } from './set-image-tag.js';

/** Fixtures stay in the source tree (tests run from dist/). `.txt` keeps Prettier off their layout. */
const FIXTURES = new URL('../../../src/gitops/fixtures/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');

const IMAGE = 'registry.example/hello';
const TAG = 'a1b2c3d';

describe('setKustomizeImage', () => {
  const edits: { name: string; why: string }[] = [
    { name: 'with-comments', why: 'sets the tag, keeps comments, blank lines, order and quoting' },
    { name: 'other-images', why: 'appends our entry after the other images, keeps their digest' },
    { name: 'new-name', why: 'keeps newName on the entry named after our image' },
    { name: 'renamed-from', why: 'updates the entry that renames a manifest image to ours' },
    { name: 'digest', why: 'removes the digest, which would win over the tag' },
    { name: 'no-images', why: 'creates images: with our entry' },
    { name: 'empty-images', why: 'fills an images: key without value, keeping its comment' },
    { name: 'crlf', why: 'keeps CRLF line endings' },
  ];
  for (const { name, why } of edits) {
    it(`${name}: ${why}`, () => {
      const result = setKustomizeImage(fixture(`${name}.in.txt`), IMAGE, TAG, `${name}.yaml`);
      assert.equal(result.changed, true);
      assert.equal(result.text, fixture(`${name}.out.txt`));
      assert.equal(
        setKustomizeImage(result.text, IMAGE, TAG).changed,
        false,
        'a second edit changes nothing',
      );
    });
  }

  it('already-set: returns the text untouched', () => {
    const text = fixture('already-set.in.txt');
    assert.deepEqual(setKustomizeImage(text, IMAGE, TAG), { text, changed: false });
  });

  it('quotes a tag that YAML would read as a number', () => {
    const { text } = setKustomizeImage(fixture('no-images.in.txt'), IMAGE, '0123456');
    assert.match(text, /newTag: "0123456"/);
    assert.deepEqual(parse(text).images, [{ name: IMAGE, newTag: '0123456' }]);
    const float = setKustomizeImage(text, IMAGE, '1e23456').text;
    assert.equal(parse(float).images[0].newTag, '1e23456');
  });

  it('compares the tag as written (newTag: 1.10 is not 1.1)', () => {
    const text = `images:\n- name: ${IMAGE}\n  newTag: 1.10\n`;
    assert.equal(setKustomizeImage(text, IMAGE, '1.10').changed, false);
    assert.equal(parse(setKustomizeImage(text, IMAGE, '1.1').text).images[0].newTag, '1.1');
  });

  it('updates every entry of the image and works on flow style', () => {
    const text = `images: [{ name: ${IMAGE}, newTag: a }, { name: ${IMAGE}, newTag: b }]\n`;
    const images = parse(setKustomizeImage(text, IMAGE, TAG).text).images;
    assert.deepEqual(images, [
      { name: IMAGE, newTag: TAG },
      { name: IMAGE, newTag: TAG },
    ]);
    assert.deepEqual(parse(setKustomizeImage('images: []\n', IMAGE, TAG).text).images, [
      { name: IMAGE, newTag: TAG },
    ]);
  });

  const refusals: { why: string; text: string; message: RegExp }[] = [
    {
      why: 'a list',
      text: fixture('not-a-mapping.in.txt'),
      message: /^k\.yaml: expected a YAML mapping.*found a list/,
    },
    { why: 'an empty file', text: '', message: /^k\.yaml: expected a YAML mapping.*found nothing/ },
    { why: 'a scalar', text: 'hello\n', message: /found the value "hello"/ },
    {
      why: 'images as a mapping',
      text: fixture('images-not-a-list.in.txt'),
      message: /^k\.yaml: images must be a list/,
    },
    {
      why: 'an entry that is not a mapping',
      text: 'images:\n- hello\n',
      message: /images\[0\] must be a mapping/,
    },
    { why: 'invalid YAML', text: 'images: [\n', message: /^k\.yaml: not valid YAML/ },
    { why: 'duplicate keys', text: 'images: []\nimages: []\n', message: /^k\.yaml: not valid YAML/ },
    { why: 'two documents', text: 'a: 1\n---\nb: 2\n', message: /^k\.yaml: not valid YAML/ },
  ];
  for (const { why, text, message } of refusals) {
    it(`refuses ${why} with INVALID_CONFIG naming the file`, () => {
      assert.throws(
        () => setKustomizeImage(text, IMAGE, TAG, 'k.yaml'),
        (err: Error) => hasCode(err, 'INVALID_CONFIG') && message.test(err.message),
      );
    });
  }
});
