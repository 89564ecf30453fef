import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WandolError } from '../core/errors.js';
import { notifyField, notifyRules } from './notify-field.js';
import { parseAppSpec } from './parse-app-spec.js';
import { problemsFromIssues } from './zod-problems.js';

const details = (yaml: string): readonly string[] => {
  try {
    parseAppSpec(`run: { command: x }\n${yaml}`);
  } catch (err) {
    assert.ok(err instanceof WandolError && err.code === 'INVALID_CONFIG');
    return err.details;
  }
  assert.fail('expected INVALID_CONFIG');
};

describe('notify in wandol.yaml', () => {
  it('defaults to no target, and `on` to every kind', () => {
    assert.deepEqual(parseAppSpec('run: { command: x }').notify, []);
    const spec = parseAppSpec(
      'run: { command: x }\nnotify: [{ type: webhook, url: "http://127.0.0.1:9/h" }]',
    );
    assert.deepEqual(spec.notify, [
      {
        type: 'webhook',
        url: 'http://127.0.0.1:9/h',
        on: ['started', 'succeeded', 'failed', 'rolledBack', 'degraded'],
      },
    ]);
  });

  it('refuses a list that is not one, and a signing secret given as a value', () => {
    assert.deepEqual(details('notify: { type: slack }'), [
      'wandol.yaml: notify: expected a list, got a mapping',
    ]);
    assert.deepEqual(
      details('notify: [{ type: webhook, url: "https://a.example", signingSecret: "s3cr3t value" }]'),
      [
        'wandol.yaml: notify[0].signingSecret: expected a secret name of letters, digits and _ (not starting with a digit), set with `wandol secret set APP NAME`, got "s3cr3t value"',
      ],
    );
  });

  it('reports the rules between fields even when a field is wrong', () => {
    assert.deepEqual(details('notify: [{ type: discord, on: [nope] }]'), [
      'wandol.yaml: notify[0].on[0]: expected one of "started", "succeeded", "failed", "rolledBack", "degraded", got "nope"',
      'wandol.yaml: notify[0]: needs urlSecret: the name of a secret holding the Discord webhook URL (`wandol secret set APP NAME`)',
    ]);
  });
});

describe('notify in the agent notify file', () => {
  const parse = (raw: unknown) => {
    const result = notifyField('file').safeParse(raw);
    const problems = [
      ...(result.success ? [] : problemsFromIssues(result.error.issues)),
      ...notifyRules(raw, 'file'),
    ];
    return {
      value: result.success ? result.data : undefined,
      problems: problems.map((p) => [p.path, p.message]),
    };
  };

  it('takes plain URLs for every type and the signing key itself', () => {
    const { value, problems } = parse([
      { type: 'discord', url: 'https://discord.com/api/webhooks/1/tok' },
      { type: 'webhook', url: 'http://127.0.0.1:1/h', signingSecret: 'k e y', on: ['failed'] },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(value?.[1], {
      type: 'webhook',
      url: 'http://127.0.0.1:1/h',
      signingSecret: 'k e y',
      on: ['failed'],
    });
  });

  it('refuses urlSecret (the file has no secret store) and a missing url', () => {
    const { problems } = parse([{ type: 'slack', urlSecret: 'SLACK_URL' }]);
    assert.deepEqual(problems, [
      [[0, 'urlSecret'], 'unknown key (accepted: type, url, signingSecret, on)'],
      [[0], 'needs url (the webhook URL itself: this file is yours, mode 0600)'],
    ]);
  });

  it('never echoes a bad signing key', () => {
    const { problems } = parse([{ type: 'webhook', url: 'https://a.example', signingSecret: 12345678 }]);
    assert.deepEqual(problems, [[[0, 'signingSecret'], 'expected a non-empty string (the signing key)']]);
  });
});
