import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WANDOL_BOT, isWriteBackCommit, writeBackMessage } from './loop-guard.js';

const FILE = 'deploy/kustomization.yaml';
const human = { authorEmail: 'dev@example.com', message: 'Fix the login page' };
const bot = { authorEmail: WANDOL_BOT.email, message: writeBackMessage('registry.example/hello', 'a1b2c3d') };

describe('isWriteBackCommit', () => {
  const cases: {
    why: string;
    info: typeof human;
    paths: string[];
    kustomization?: string;
    expected: boolean;
  }[] = [
    { why: "the bot's write-back", info: bot, paths: [FILE], expected: true },
    { why: "the bot's commit whatever it touches", info: bot, paths: ['a.txt', FILE], expected: true },
    {
      why: 'the bot email in another case',
      info: { ...bot, authorEmail: WANDOL_BOT.email.toUpperCase() },
      paths: ['x'],
      expected: true,
    },
    { why: 'a human commit touching only the kustomization', info: human, paths: [FILE], expected: true },
    {
      why: 'the same with a ./ path in the spec',
      info: human,
      paths: [FILE],
      kustomization: `./${FILE}`,
      expected: true,
    },
    { why: 'a normal commit', info: human, paths: ['src/app.ts'], expected: false },
    {
      why: 'a commit touching the kustomization and code',
      info: human,
      paths: [FILE, 'src/app.ts'],
      expected: false,
    },
    { why: 'an empty commit', info: human, paths: [], expected: false },
    {
      why: 'a human [skip ci] commit with code',
      info: { ...human, message: 'docs [skip ci]' },
      paths: ['README.md'],
      expected: false,
    },
    {
      why: 'the bot email without [skip ci], touching code',
      info: { ...bot, message: 'deploy: x' },
      paths: ['src/a.ts'],
      expected: false,
    },
    {
      why: 'a kustomization of another folder',
      info: human,
      paths: ['other/kustomization.yaml'],
      expected: false,
    },
  ];
  for (const { why, info, paths, kustomization = FILE, expected } of cases) {
    it(`${expected ? 'recognises' : 'does not flag'} ${why}`, () => {
      assert.equal(isWriteBackCommit(info, paths, kustomization), expected);
    });
  }

  it('writeBackMessage carries [skip ci]', () => {
    assert.equal(
      writeBackMessage('registry.example/hello', 'a1b2c3d'),
      'deploy: registry.example/hello:a1b2c3d [skip ci]',
    );
  });
});
