import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayUrl, notifyKindOf } from './notify-target.js';
import { retryAfterMs } from './retry-after.js';

describe('notifyKindOf', () => {
  const cases: [string, string | undefined][] = [
    ['Deploying', 'started'],
    ['Deployed', 'succeeded'],
    ['DeployFailed', 'failed'],
    ['BuildFailed', 'failed'],
    ['RolledBack', 'rolledBack'],
    ['HealthDegraded', 'degraded'],
    ['Scaled', undefined],
    ['toString', undefined],
  ];
  for (const [type, kind] of cases) it(`${type} → ${kind}`, () => assert.equal(notifyKindOf(type), kind));
});

describe('displayUrl', () => {
  const cases: [string, string][] = [
    ['https://discord.com/api/webhooks/123/abcdef', 'https://discord.com/…'],
    ['https://hooks.slack.com/services/T0/B0/xyz', 'https://hooks.slack.com/…'],
    ['https://user:pw@ops.example:8443/hook?token=1', 'https://ops.example:8443/…'],
    ['http://127.0.0.1:9000', 'http://127.0.0.1:9000'],
    ['nope', '(not a URL)'],
  ];
  for (const [url, shown] of cases) it(shown, () => assert.equal(displayUrl(url), shown));
});

describe('retryAfterMs', () => {
  const now = Date.parse('2025-01-02T03:04:05Z');
  const cases: [string | null, number | undefined][] = [
    [null, undefined],
    ['', undefined],
    ['2', 2000],
    ['0.25', 250],
    ['Thu, 02 Jan 2025 03:04:15 GMT', 10_000],
    ['Thu, 02 Jan 2025 03:00:00 GMT', 0],
    ['soon', undefined],
    ['-1', undefined],
  ];
  for (const [header, ms] of cases)
    it(`${header} → ${ms}`, () => assert.equal(retryAfterMs(header, now), ms));
});
