import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasCode } from '../../core/errors.js';
import { parseWebhook, type ParsedWebhook } from './parse-push.js';
import { fixtureJson } from './webhook-fixtures.js';
import type { WebhookProvider } from './webhook-provider.js';

const GITHUB = { 'x-github-event': 'push' };
const GITLAB = { 'x-gitlab-event': 'Push Hook' };
const GITEA = { 'x-gitea-event': 'push' };

describe('parseWebhook', () => {
  it('reads a GitHub push', () => {
    assert.deepEqual(parseWebhook('github', GITHUB, fixtureJson('github-push.json')), {
      kind: 'push',
      push: {
        provider: 'github',
        repository: [
          'https://github.com/Octo-Org/hello-bot.git',
          'git@github.com:Octo-Org/hello-bot.git',
          'https://github.com/Octo-Org/hello-bot',
          'git://github.com/Octo-Org/hello-bot.git',
          'Octo-Org/hello-bot',
        ],
        branch: 'main',
        after: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
        deleted: false,
        pusher: 'mona',
      },
    });
  });

  it('reads a GitLab push, project and repository names merged without repeats', () => {
    assert.deepEqual(parseWebhook('gitlab', GITLAB, fixtureJson('gitlab-push.json')), {
      kind: 'push',
      push: {
        provider: 'gitlab',
        repository: [
          'https://gitlab.example.com/shop/backend/orders-api.git',
          'git@gitlab.example.com:shop/backend/orders-api.git',
          'https://gitlab.example.com/shop/backend/orders-api',
          'shop/backend/orders-api',
        ],
        branch: 'main',
        after: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
        deleted: false,
        pusher: 'jdoe',
      },
    });
  });

  it('reads a Gitea push (Forgejo headers too)', () => {
    const expected: ParsedWebhook = {
      kind: 'push',
      push: {
        provider: 'gitea',
        repository: [
          'https://git.home.arpa/kim/lamp-bot.git',
          'ssh://git@git.home.arpa:2222/kim/lamp-bot.git',
          'https://git.home.arpa/kim/lamp-bot',
          'kim/lamp-bot',
        ],
        branch: 'main',
        after: 'bffeb74224043ba2feb48d137756c8a9331c449a',
        deleted: false,
        pusher: 'kim',
      },
    };
    assert.deepEqual(parseWebhook('gitea', GITEA, fixtureJson('gitea-push.json')), expected);
    assert.deepEqual(
      parseWebhook('gitea', { 'x-forgejo-event': 'push' }, fixtureJson('gitea-push.json')),
      expected,
    );
  });

  it('keeps slashes in branch names and marks deletions', () => {
    for (const [provider, headers, file] of [
      ['github', GITHUB, 'github-branch-delete.json'],
      ['gitlab', GITLAB, 'gitlab-branch-delete.json'],
    ] as const) {
      const parsed = parseWebhook(provider, headers, fixtureJson(file));
      assert.equal(parsed.kind, 'push', file);
      if (parsed.kind !== 'push') continue;
      assert.equal(parsed.push.deleted, true, file);
      assert.equal(parsed.push.after, '0'.repeat(40), file);
      assert.match(parsed.push.branch, /^feature\//, file);
    }
    const gitea = { ...(fixtureJson('gitea-push.json') as object), after: '0'.repeat(40) };
    const parsed = parseWebhook('gitea', GITEA, gitea);
    assert.equal(parsed.kind === 'push' && parsed.push.deleted, true);
  });

  const ignored: [WebhookProvider, Record<string, string>, unknown, RegExp][] = [
    ['github', GITHUB, fixtureJson('github-tag-push.json'), /tag push \(refs\/tags\/v1\.4\.0\)/],
    ['gitlab', GITLAB, fixtureJson('gitlab-tag-push.json'), /tag push/],
    ['gitlab', { 'x-gitlab-event': 'Tag Push Hook' }, fixtureJson('gitlab-tag-push.json'), /tag push/],
    ['gitea', GITEA, fixtureJson('gitea-tag-push.json'), /tag push/],
    ['gitea', { 'x-gitea-event': 'delete' }, fixtureJson('gitea-branch-delete.json'), /delete events/],
    ['github', { 'x-github-event': 'issues' }, {}, /issues events do not deploy/],
    ['github', {}, fixtureJson('github-push.json'), /no X-GitHub-Event header/],
    ['gitlab', { 'x-gitlab-event': 'Merge Request Hook' }, {}, /Merge Request Hook events/],
    [
      'github',
      GITHUB,
      { ...(fixtureJson('github-push.json') as object), ref: 'refs/notes/x' },
      /only branches/,
    ],
  ];
  for (const [provider, headers, body, reason] of ignored) {
    it(`ignores ${provider} ${JSON.stringify(headers)} ${reason.source}`, () => {
      const parsed = parseWebhook(provider, headers, body);
      assert.equal(parsed.kind, 'ignored');
      assert.match(parsed.kind === 'ignored' ? parsed.reason : '', reason);
    });
  }

  it('answers pings: GitHub ping, GitLab system hooks that are not pushes', () => {
    assert.deepEqual(parseWebhook('github', { 'x-github-event': 'ping' }, fixtureJson('github-ping.json')), {
      kind: 'ping',
    });
    const system = { 'x-gitlab-event': 'System Hook' };
    assert.deepEqual(parseWebhook('gitlab', system, fixtureJson('gitlab-system-hook.json')), {
      kind: 'ping',
    });
    assert.equal(parseWebhook('gitlab', system, fixtureJson('gitlab-push.json')).kind, 'push');
    assert.equal(parseWebhook('gitlab', system, fixtureJson('gitlab-tag-push.json')).kind, 'ignored');
  });

  it('refuses a push that lacks its fields with USAGE, naming each', () => {
    const push = fixtureJson('github-push.json') as Record<string, unknown>;
    const cases: [unknown, string[]][] = [
      [{ ...push, ref: undefined }, ['ref']],
      [{ ...push, after: 'abc' }, ['after']],
      [{ ...push, repository: {} }, ['repository']],
      [{}, ['ref', 'after', 'repository']],
      [[], ['a JSON object']],
      [null, ['a JSON object']],
    ];
    for (const [body, fields] of cases) {
      assert.throws(
        () => parseWebhook('github', GITHUB, body),
        (err: Error) => hasCode(err, 'USAGE') && fields.every((f) => err.message.includes(f)),
        JSON.stringify(fields),
      );
    }
  });
});
