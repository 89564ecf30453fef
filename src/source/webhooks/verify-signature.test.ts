import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { hasSignature, signWebhook, verifyWebhook } from './verify-signature.js';
import { WEBHOOK_PROVIDERS } from './webhook-provider.js';

const SECRET = "It's a Secret to Everybody";
const BODY = Buffer.from('Hello, World!');

describe('verifyWebhook', () => {
  it("matches GitHub's documented example signature", () => {
    // The example of GitHub's "Validating webhook deliveries" page: this secret and body give this digest.
    const headers = {
      'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    };
    assert.equal(verifyWebhook('github', headers, BODY, SECRET), true);
  });

  for (const provider of WEBHOOK_PROVIDERS) {
    const [name, value] = signWebhook(provider, BODY, SECRET);
    const signed = { [name]: value };

    it(`${provider}: accepts the body signed with the secret`, () => {
      assert.equal(verifyWebhook(provider, signed, BODY, SECRET), true);
      assert.equal(hasSignature(provider, signed), true);
    });
    it(`${provider}: refuses another secret, a missing header and an empty secret`, () => {
      assert.equal(verifyWebhook(provider, signed, BODY, SECRET + '!'), false);
      assert.equal(verifyWebhook(provider, signed, BODY, SECRET.slice(0, 5)), false);
      assert.equal(verifyWebhook(provider, {}, BODY, SECRET), false);
      assert.equal(hasSignature(provider, {}), false);
      assert.equal(verifyWebhook(provider, { [name]: value }, BODY, ''), false);
    });
    if (provider !== 'gitlab') {
      it(`${provider}: refuses a tampered body and malformed signatures`, () => {
        assert.equal(verifyWebhook(provider, signed, Buffer.from('Hello, World?'), SECRET), false);
        for (const bad of [
          '',
          'sha256=',
          value.slice(0, -2),
          value + '00',
          value.replace(/[0-9a-f]$/, 'z'),
        ]) {
          assert.equal(verifyWebhook(provider, { [name]: bad }, BODY, SECRET), false, JSON.stringify(bad));
        }
      });
    }
  }

  it('github: needs the sha256= prefix, gitea: has none', () => {
    const hex = createHmac('sha256', SECRET).update(BODY).digest('hex');
    assert.equal(verifyWebhook('github', { 'x-hub-signature-256': hex }, BODY, SECRET), false);
    assert.equal(
      verifyWebhook('github', { 'x-hub-signature-256': `SHA256=${hex.toUpperCase()}` }, BODY, SECRET),
      true,
    );
    assert.equal(verifyWebhook('gitea', { 'x-gitea-signature': `sha256=${hex}` }, BODY, SECRET), false);
    assert.equal(verifyWebhook('gitea', { 'x-forgejo-signature': hex }, BODY, SECRET), true);
  });

  it('gitlab: compares the plain token whatever the lengths', () => {
    assert.equal(verifyWebhook('gitlab', { 'x-gitlab-token': SECRET }, BODY, SECRET), true);
    assert.equal(verifyWebhook('gitlab', { 'x-gitlab-token': 'x' }, BODY, SECRET), false);
    assert.equal(verifyWebhook('gitlab', { 'x-gitlab-token': SECRET + SECRET }, BODY, SECRET), false);
    assert.equal(verifyWebhook('gitlab', { 'x-gitlab-token': [SECRET] }, BODY, SECRET), true);
  });
});
