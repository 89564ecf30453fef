import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeRelease, fakeStatus } from '../api/fake-agent-service.js';
import type { AppStatus, ReleaseRecord } from '../api/wire.js';
import { age, fields, historyTable, statusDetail, statusTable, table, trafficSummary } from './format.js';

const NOW = Date.parse('2024-01-01T01:00:00.000Z');
const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('table', () => {
  const cases: [string, string[], string[][], string][] = [
    ['header only', ['A', 'B'], [], 'A   B'],
    [
      'pads every column but the last',
      ['NAME', 'X'],
      [
        ['a', '1'],
        ['longer', '22'],
      ],
      'NAME     X\na        1\nlonger   22',
    ],
    ['trims an empty last cell', ['A', 'B'], [['x', '']], 'A   B\nx'],
    ['missing cells are empty', ['A', 'B', 'C'], [['1']], 'A   B   C\n1'],
  ];
  for (const [label, headers, rows, expected] of cases)
    it(label, () => assert.equal(table(headers, rows), expected));
});

describe('fields', () => {
  it('aligns the values', () => {
    assert.equal(
      fields([
        ['Name', 'demo'],
        ['Health', 'Healthy'],
      ]),
      'Name:    demo\nHealth:  Healthy',
    );
  });
});

describe('age', () => {
  const cases: [string | null, string][] = [
    ['2024-01-01T00:59:30.000Z', '30s'],
    ['2024-01-01T00:50:00.000Z', '10m'],
    ['2023-12-31T22:00:00.000Z', '3h'],
    ['2023-12-25T01:00:00.000Z', '7d'],
    ['2024-01-01T01:00:05.000Z', '0s'],
    [null, '-'],
    ['not a date', '-'],
  ];
  for (const [iso, expected] of cases)
    it(`${iso} → ${expected}`, () => assert.equal(age(iso, NOW), expected));
});

describe('trafficSummary', () => {
  const cases: [ReleaseRecord['traffic'], string][] = [
    [{ requests: 120, failed: 0, p99Ms: 25, window: 'closed' }, '120 req, 0 failed, p99 25ms'],
    [{ requests: 3, failed: 1, p99Ms: 1500, window: 'open' }, '3 req, 1 failed, p99 1.5s (so far)'],
    [{ requests: 0, failed: 0, p99Ms: null, window: 'closed' }, '0 req, 0 failed, p99 -'],
    [{ requests: 0, failed: 0, p99Ms: null, window: 'none' }, '-'],
  ];
  for (const [traffic, expected] of cases)
    it(expected, () => assert.equal(trafficSummary(traffic), expected));
});

describe('statusTable', () => {
  it('lists name, sync, health, short revision, replicas and url', () => {
    const demo: AppStatus = {
      ...fakeStatus({ name: 'demo', repo: '/r', branch: 'main', path: '.', pollMs: 1, createdAt: '' }),
      revision: SHA,
    };
    const fresh: AppStatus = {
      ...demo,
      name: 'fresh-app',
      sync: 'OutOfSync',
      health: 'Missing',
      revision: null,
      url: null,
      replicas: { desired: 2, ready: 0 },
    };
    assert.equal(
      statusTable([demo, fresh]),
      [
        'NAME        SYNC        HEALTH    REVISION   REPLICAS   URL',
        'demo        Synced      Healthy   0123456    1/1        http://127.0.0.1:8081/',
        'fresh-app   OutOfSync   Missing   -          0/2        -',
      ].join('\n'),
    );
  });
});

describe('historyTable', () => {
  it('shows each release with duration, traffic and message; * marks the live one', () => {
    const live: ReleaseRecord = {
      ...fakeRelease('demo', 2, SHA),
      status: 'Succeeded',
      phase: 'Live',
      live: true,
      startedAt: '2024-01-01T00:58:00.000Z',
      finishedAt: '2024-01-01T00:58:12.300Z',
      message: 'Bump the version\n\nlong body',
      traffic: { requests: 120, failed: 0, p99Ms: 25, window: 'closed' },
    };
    const failed: ReleaseRecord = {
      ...fakeRelease('demo', 1, 'f'.repeat(40)),
      status: 'Failed',
      trigger: 'poll',
      startedAt: '2024-01-01T00:30:00.000Z',
      finishedAt: '2024-01-01T00:30:01.000Z',
      error: { code: 'BUILD_FAILED', message: 'the build command exited with 1', details: [] },
    };
    assert.equal(
      historyTable([live, failed], NOW),
      [
        'ID   REVISION   STATUS      TRIGGER   STARTED   DURATION   TRAFFIC                       MESSAGE',
        '2*   0123456    Succeeded   manual    2m        12.3s      120 req, 0 failed, p99 25ms   Bump the version',
        '1    fffffff    Failed      poll      30m       1.0s       -                             the build command exited with 1',
      ].join('\n'),
    );
  });
});

describe('statusDetail', () => {
  it('shows reasons, the last error with details and the instances', () => {
    const status: AppStatus = {
      ...fakeStatus({ name: 'demo', repo: '/r.git', branch: 'main', path: '.', pollMs: 1, createdAt: '' }),
      health: 'Degraded',
      healthReason: '0 of 1 ready',
      revision: SHA,
      lastError: {
        code: 'INVALID_CONFIG',
        message: 'wandol.yaml is invalid',
        details: ['replicas: expected a number'],
        at: '2024-01-01T00:59:00.000Z',
      },
      instances: [
        {
          id: 'demo-2-blue-0',
          revision: SHA,
          releaseId: 2,
          slot: 'blue',
          endpoint: '127.0.0.1:40001',
          ready: false,
          phase: 'Running',
          restarts: 1,
          lastExit: { code: 3, signal: null, at: '2024-01-01T00:59:50.000Z' },
        },
      ],
    };
    const text = statusDetail(status, NOW);
    assert.match(text, /^Health: +Degraded \(0 of 1 ready\)$/m);
    assert.match(text, /^Revision: +0123456 \(release 1\)$/m);
    assert.match(
      text,
      /^Last error \(60s ago\): INVALID_CONFIG: wandol.yaml is invalid\n {2}replicas: expected a number$/m,
    );
    assert.match(
      text,
      /^ {2}demo-2-blue-0 +0123456 +blue +127\.0\.0\.1:40001 +no +Running +1 +code 3, 10s ago$/m,
    );
  });
});
