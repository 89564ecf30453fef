import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NotifySpec } from '../config/app-spec.js';
import { redact } from '../core/redact.js';
import { resolveNotifyTargets } from './resolve-targets.js';

const ON: NotifySpec['on'] = ['failed'];
const secrets: Record<string, string> = {
  DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/7/rEsOlVeD-tOkEn',
  HOOK_SECRET: 'app-signing-key-123',
  NOT_A_URL: 'just text',
};
const secretOf = (name: string): string | undefined => secrets[name];

describe('resolveNotifyTargets', () => {
  it('fills in URL and signing secrets by name, and registers them for redaction', () => {
    const { targets, problems } = resolveNotifyTargets(
      'hello',
      [
        { type: 'discord', urlSecret: 'DISCORD_WEBHOOK_URL', on: ON },
        { type: 'webhook', url: 'https://ops.example/h', signingSecret: 'HOOK_SECRET', on: ON },
      ],
      secretOf,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(targets, [
      { type: 'discord', url: secrets.DISCORD_WEBHOOK_URL, on: ON },
      { type: 'webhook', url: 'https://ops.example/h', on: ON, signingSecret: 'app-signing-key-123' },
    ]);
    assert.equal(redact(`${secrets.DISCORD_WEBHOOK_URL} app-signing-key-123`), '*** ***');
  });

  it('leaves out targets whose secrets are missing or not a URL, saying how to fix them', () => {
    const { targets, problems } = resolveNotifyTargets(
      'hello',
      [
        { type: 'slack', urlSecret: 'SLACK_WEBHOOK_URL', on: ON },
        { type: 'webhook', url: 'https://ops.example/h', signingSecret: 'MISSING_KEY', on: ON },
        { type: 'webhook', urlSecret: 'NOT_A_URL', on: ON },
      ],
      secretOf,
    );
    assert.deepEqual(targets, []);
    assert.deepEqual(problems, [
      'notify[0] (slack): secret SLACK_WEBHOOK_URL is not set: run `wandol secret set hello SLACK_WEBHOOK_URL`',
      'notify[1] (webhook): secret MISSING_KEY is not set: run `wandol secret set hello MISSING_KEY`',
      'notify[2] (webhook): NOT_A_URL is not an http(s) URL: set it again',
    ]);
  });

  it('takes a spec stored before notify existed', () => {
    assert.deepEqual(resolveNotifyTargets('hello', undefined, secretOf), { targets: [], problems: [] });
  });
});
