import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRepoRef, repoKey, repoMatches } from './repo-key.js';

describe('repoKey', () => {
  const table: [string, string][] = [
    ['https://github.com/Octo-Org/hello-bot.git', 'github.com/octo-org/hello-bot'],
    ['https://github.com/Octo-Org/hello-bot', 'github.com/octo-org/hello-bot'],
    ['https://github.com/Octo-Org/hello-bot/', 'github.com/octo-org/hello-bot'],
    ['https://github.com/Octo-Org/hello-bot.git/', 'github.com/octo-org/hello-bot'],
    ['  https://GitHub.com/octo-org/hello-bot  ', 'github.com/octo-org/hello-bot'],
    ['https://x-access-token:ghs_abc123@github.com/octo-org/hello-bot.git', 'github.com/octo-org/hello-bot'],
    [
      'https://oauth2:glpat-xyz@gitlab.example.com/shop/backend/orders-api.git',
      'gitlab.example.com/shop/backend/orders-api',
    ],
    ['https://user@host.example:8443/owner/repo', 'host.example/owner/repo'],
    ['http://github.com/o/r.git?x=1#frag', 'github.com/o/r'],
    ['git://github.com/Octo-Org/hello-bot.git', 'github.com/octo-org/hello-bot'],
    ['git@github.com:Octo-Org/hello-bot.git', 'github.com/octo-org/hello-bot'],
    ['github.com:octo-org/hello-bot', 'github.com/octo-org/hello-bot'],
    ['ssh://git@github.com:22/octo-org/hello-bot', 'github.com/octo-org/hello-bot'],
    ['ssh://git@git.home.arpa:2222/kim/lamp-bot.git', 'git.home.arpa/kim/lamp-bot'],
    ['ssh://git@[::1]:22/o/r.git', '[::1]/o/r'],
    ['https://github.com//o//r.git', 'github.com/o/r'],
    ['/srv/git/hello.git', '/srv/git/hello'],
    ['/srv/git/hello/', '/srv/git/hello'],
    ['/srv/git/hello.git/', '/srv/git/hello'],
    ['file:///srv/git/hello.git', '/srv/git/hello'],
    ['file://localhost/srv/git/hello', '/srv/git/hello'],
    ['Octo-Org/hello-bot', 'octo-org/hello-bot'],
    ['shop/backend/orders-api', 'shop/backend/orders-api'],
    ['', ''],
  ];
  for (const [input, key] of table) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(key)}`, () => assert.equal(repoKey(input), key));
  }

  it('tells remote addresses, local paths and bare names apart', () => {
    assert.equal(parseRepoRef('git@github.com:o/r.git').kind, 'remote');
    assert.equal(parseRepoRef('https://github.com/o/r').kind, 'remote');
    assert.equal(parseRepoRef('/srv/git/r.git').kind, 'path');
    assert.equal(parseRepoRef('file:///srv/git/r.git').kind, 'path');
    assert.equal(parseRepoRef('o/r').kind, 'name');
  });
});

describe('repoMatches', () => {
  const github = [
    'https://github.com/Octo-Org/hello-bot.git',
    'git@github.com:Octo-Org/hello-bot.git',
    'https://github.com/Octo-Org/hello-bot',
    'Octo-Org/hello-bot',
  ];
  const table: [string, string, readonly string[], boolean][] = [
    ['same clone URL', 'https://github.com/Octo-Org/hello-bot.git', github, true],
    ['scp-like registration', 'git@github.com:octo-org/hello-bot.git', github, true],
    ['ssh URL with port', 'ssh://git@github.com:22/octo-org/hello-bot', github, true],
    ['URL with a token', 'https://x-access-token:ghs_abc@github.com/octo-org/hello-bot', github, true],
    ['full name only in the push', 'https://github.com/octo-org/hello-bot', ['Octo-Org/hello-bot'], true],
    ['full name vs local mirror path', '/srv/git/octo-org/hello-bot.git', ['Octo-Org/hello-bot'], true],
    [
      'app registered by full name',
      'octo-org/hello-bot',
      ['https://github.com/Octo-Org/hello-bot.git'],
      true,
    ],
    [
      'GitLab subgroup full name',
      'git@gitlab.example.com:shop/backend/orders-api.git',
      ['shop/backend/orders-api'],
      true,
    ],
    ['another repository', 'https://github.com/octo-org/other-bot', github, false],
    ['same name on another host', 'https://gitlab.com/octo-org/hello-bot', github.slice(0, 3), false],
    [
      'name is only a partial segment',
      'https://github.com/xocto-org/hello-bot',
      ['octo-org/hello-bot'],
      false,
    ],
    ['one segment is not a full name', 'https://github.com/octo-org/hello-bot', ['hello-bot'], false],
    ['local path equals local path', '/srv/git/hello.git', ['/srv/git/hello'], true],
    ['empty app repo', '', github, false],
    ['no push names', 'https://github.com/octo-org/hello-bot', [], false],
  ];
  for (const [label, app, names, expected] of table) {
    it(`${label}: ${expected}`, () => assert.equal(repoMatches(app, names), expected));
  }
});
