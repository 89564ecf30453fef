import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../../test/support/temp-dir.js';
import { WandolError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { loadNotifyFile } from './load-notify-file.js';

const dir = tempDir();
after(() => dir.cleanup());
let n = 0;

/** Writes `content` to a fresh file with `mode` and returns its path. */
function file(content: unknown, mode = 0o600): string {
  const path = join(dir.path, `notify-${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  chmodSync(path, mode);
  return path;
}

function refused(path: string): WandolError {
  try {
    loadNotifyFile(path);
  } catch (err) {
    assert.ok(err instanceof WandolError, String(err));
    return err;
  }
  assert.fail('expected an error');
}

describe('loadNotifyFile', () => {
  it('reads a list of targets, with defaults, and registers their URLs and keys as secrets', () => {
    const discord = 'https://discord.com/api/webhooks/42/dIsCoRd-ToKeN';
    const path = file([
      { type: 'discord', url: discord },
      {
        type: 'webhook',
        url: 'http://127.0.0.1:9/hook',
        signingSecret: 'global-signing-key',
        on: ['failed'],
      },
    ]);
    assert.deepEqual(loadNotifyFile(path), [
      { type: 'discord', url: discord, on: ['started', 'succeeded', 'failed', 'rolledBack', 'degraded'] },
      {
        type: 'webhook',
        url: 'http://127.0.0.1:9/hook',
        on: ['failed'],
        signingSecret: 'global-signing-key',
      },
    ]);
    assert.equal(redact(`posting to ${discord} with global-signing-key`), 'posting to *** with ***');
  });

  it('also takes { "notify": [...] } and an empty list', () => {
    assert.deepEqual(
      loadNotifyFile(file({ notify: [{ type: 'slack', url: 'https://hooks.slack.com/x' }] }))[0]?.type,
      'slack',
    );
    assert.deepEqual(loadNotifyFile(file([])), []);
  });

  it('refuses a file other users can read', () => {
    const path = file([], 0o644);
    const err = refused(path);
    assert.equal(err.code, 'USAGE');
    assert.equal(
      err.message,
      `the notify file ${path} is open to other users (mode 0644) and holds webhook URLs with their tokens: run chmod 600 ${path}`,
    );
  });

  it('says when the file cannot be read', () => {
    const err = refused(join(dir.path, 'missing.json'));
    assert.equal(err.code, 'USAGE');
    assert.match(err.message, /cannot read the notify file .*missing\.json \(ENOENT\): check the path/);
  });

  it('refuses what is not JSON, or not a list', () => {
    const bad = refused(file('[{ type: discord }]'));
    assert.equal(bad.code, 'INVALID_CONFIG');
    assert.match(bad.details[0] ?? '', /: not valid JSON \(.*\): expected a JSON list of targets/);
    const mapping = file({ targets: [] });
    assert.deepEqual(refused(mapping).details, [
      `${mapping}: expected a JSON list of targets like [{ "type": "discord", "url": "https://discord.com/api/webhooks/…" }] (or { "notify": [ … ] }), got a mapping`,
    ]);
  });

  it('lists every problem with its path', () => {
    const path = file({
      notify: [
        { type: 'teams', url: 'https://x.example' },
        { type: 'slack', urlSecret: 'SLACK_URL' },
        {
          type: 'discord',
          url: 'https://discord.com/api/webhooks/1/t',
          signingSecret: 'k',
          on: ['deployed'],
        },
      ],
    });
    const err = refused(path);
    assert.equal(
      err.message,
      `the notify file ${path} is invalid: 5 problem(s); fix it and run wandol up again`,
    );
    assert.deepEqual(err.details, [
      `${path}: notify[0].type: expected one of "discord", "slack", "webhook", got "teams"`,
      `${path}: notify[1].urlSecret: unknown key (accepted: type, url, signingSecret, on)`,
      `${path}: notify[2].on[0]: expected one of "started", "succeeded", "failed", "rolledBack", "degraded", got "deployed"`,
      `${path}: notify[1]: needs url (the webhook URL itself: this file is yours, mode 0600)`,
      `${path}: notify[2].signingSecret: only for type webhook (Discord URLs carry their own token)`,
    ]);
  });
});
