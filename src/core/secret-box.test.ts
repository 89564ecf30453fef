import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { hasCode } from './errors.js';
import {
  MAX_SECRET_BYTES,
  assertSecretName,
  assertSecretValue,
  hashSecret,
  open,
  seal,
} from './secret-box.js';

describe('secret box', () => {
  const key = randomBytes(32);

  it('seals into v1.<iv>.<tag>.<ciphertext> and opens back, with a fresh IV each time', () => {
    const plain = 'hunter22 ünïcödé 🔑';
    const a = seal(key, plain);
    const b = seal(key, plain);
    assert.match(a, /^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    assert.notEqual(a, b);
    assert.ok(!a.includes('hunter22'));
    assert.equal(open(key, a), plain);
    assert.equal(open(key, b), plain);
  });

  it('refuses a wrong key, an altered text, another aad and garbage with INTERNAL', () => {
    const sealed = seal(key, 'top-secret', 'app/TOKEN');
    assert.equal(open(key, sealed, 'app/TOKEN'), 'top-secret');
    const [v, iv, tag, ct] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(ct, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const cases: [string, () => string][] = [
      ['a wrong key', () => open(randomBytes(32), sealed, 'app/TOKEN')],
      ['another aad', () => open(key, sealed, 'other/TOKEN')],
      [
        'an altered ciphertext',
        () => open(key, [v, iv, tag, flipped.toString('base64')].join('.'), 'app/TOKEN'),
      ],
      [
        'an altered tag',
        () => open(key, [v, iv, Buffer.alloc(16).toString('base64'), ct].join('.'), 'app/TOKEN'),
      ],
      ['garbage', () => open(key, 'not sealed')],
      ['another version', () => open(key, sealed.replace(/^v1/, 'v9'), 'app/TOKEN')],
    ];
    for (const [label, attempt] of cases) {
      assert.throws(attempt, (err) => hasCode(err, 'INTERNAL') && !String(err).includes('top-secret'), label);
    }
  });

  it('refuses a key of the wrong length', () => {
    assert.throws(
      () => seal(randomBytes(16), 'x'),
      (err) => hasCode(err, 'INTERNAL'),
    );
  });

  it('hashes to sha256:<16 hex>, or hmac-sha256:<16 hex> under a key', () => {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223...
    assert.equal(hashSecret('abc'), 'sha256:ba7816bf8f01cfea');
    assert.match(hashSecret('abc', key), /^hmac-sha256:[0-9a-f]{16}$/);
    assert.equal(hashSecret('abc', key), hashSecret('abc', key));
    assert.notEqual(hashSecret('abc', key), hashSecret('abc', randomBytes(32)));
    assert.notEqual(hashSecret('abc'), hashSecret('abd'));
  });

  it('checks names and values', () => {
    for (const name of ['DISCORD_TOKEN', '_x', 'a1']) assert.equal(assertSecretName(name), name);
    for (const name of ['1A', 'A-B', '', 'PORT', 'a b', 'x\n'])
      assert.throws(
        () => assertSecretName(name),
        (err) => hasCode(err, 'USAGE'),
        name,
      );
    assert.equal(assertSecretValue('v'), 'v');
    assert.equal(assertSecretValue('x'.repeat(MAX_SECRET_BYTES)).length, MAX_SECRET_BYTES);
    assert.throws(
      () => assertSecretValue(''),
      (err) => hasCode(err, 'USAGE'),
    );
    assert.throws(
      () => assertSecretValue('é'.repeat(MAX_SECRET_BYTES / 2 + 1)),
      (err) => hasCode(err, 'USAGE') && /at most 65536 bytes/.test(String(err)),
    );
  });
});
