import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discordPayload } from './discord-payload.js';
import type { NotifyContent } from './notify-content.js';
import { notifyRequest } from './notify-request.js';
import { escapeMrkdwn, slackPayload } from './slack-payload.js';
import { signBody, verifySignature } from './webhook-signature.js';

const content = (over: Partial<NotifyContent> = {}): NotifyContent => ({
  kind: 'failed',
  event: 'DeployFailed',
  title: 'hello: deploy failed',
  app: 'hello',
  release: 3,
  revision: 'abcdef0123456789abcdef0123456789abcdef01',
  message: 'readiness probe failed',
  at: '2025-01-02T03:04:05.000Z',
  data: {},
  ...over,
});

describe('discordPayload', () => {
  it('colours by kind: green, red, orange', () => {
    const color = (kind: NotifyContent['kind']) => discordPayload(content({ kind })).embeds[0]?.color;
    assert.equal(color('succeeded'), 0x2ecc71);
    assert.equal(color('failed'), 0xe74c3c);
    assert.equal(color('rolledBack'), 0xe67e22);
    assert.equal(color('degraded'), 0xe67e22);
  });

  it("cuts a long message to Discord's limit and leaves out unknown fields", () => {
    const embed = discordPayload(content({ message: 'x'.repeat(5000), release: null, revision: null }))
      .embeds[0];
    assert.equal(embed?.description.length, 4096);
    assert.ok(embed?.description.endsWith('…'));
    assert.deepEqual(embed?.fields, [{ name: 'App', value: 'hello', inline: true }]);
  });
});

describe('slackPayload', () => {
  it('escapes &, < and > so that a message cannot ping a channel', () => {
    assert.equal(escapeMrkdwn('<!channel> a & b > c'), '&lt;!channel&gt; a &amp; b &gt; c');
    const body = slackPayload(content({ message: '<!here> broke' }));
    assert.ok(!JSON.stringify(body).includes('<!here>'));
  });

  it('puts release, revision and time in a context line', () => {
    const body = slackPayload(content());
    assert.deepEqual(body.blocks[1], {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'release 3 · abcdef0 · 2025-01-02T03:04:05.000Z' }],
    });
  });
});

describe('notifyRequest', () => {
  it('signs the generic body exactly as sent', () => {
    const req = notifyRequest(
      content(),
      { type: 'webhook', url: 'http://x', on: ['failed'], signingSecret: 's' },
      'id-1',
    );
    assert.equal(req.headers['x-wandol-signature'], signBody(req.body, 's'));
    assert.equal(req.headers['x-wandol-delivery'], 'id-1');
    assert.equal(verifySignature(req.body, req.headers['x-wandol-signature'], 's'), true);
    assert.equal(verifySignature(req.body, undefined, 's'), false);
    assert.equal(verifySignature(req.body, 'sha256=00', 's'), false);
  });

  it('sends no wandol headers to Discord and Slack', () => {
    for (const type of ['discord', 'slack'] as const) {
      const req = notifyRequest(content(), { type, url: 'http://x', on: ['failed'] }, 'id');
      assert.deepEqual(req.headers, { 'content-type': 'application/json', 'user-agent': 'wandol' });
    }
  });
});
