import assert from 'node:assert/strict';
import { chmodSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasCode, type ErrorCode } from '../core/errors.js';
import { gitFixture, type GitFixture } from '../../test/support/git-fixture.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { writeBack } from './write-back.js';
import { KUSTOMIZATION, appRepo, options, remoteGit } from './write-back-fixture.js';

const refusedWith = (code: ErrorCode, message: RegExp) => (err: Error) => {
  assert.ok(hasCode(err, code), `expected ${code}, got ${String(err)}`);
  assert.match(err.message, message);
  return true;
};

describe('writeBack refusals', () => {
  const tmp = tempDir();
  let fx: GitFixture;
  before(() => {
    fx = appRepo(tmp.path);
  });
  after(() => tmp.cleanup());

  const inputs: {
    why: string;
    extra: Parameters<typeof options>[3];
    tag?: string;
    code: ErrorCode;
    message: RegExp;
  }[] = [
    {
      why: 'a missing kustomization',
      extra: { kustomization: 'k8s/kustomization.yaml' },
      code: 'INVALID_CONFIG',
      message: /^k8s\/kustomization\.yaml does not exist on the branch/,
    },
    {
      why: 'a path leaving the repository',
      extra: { kustomization: '../x.yaml' },
      code: 'INVALID_CONFIG',
      message: /not a file path inside the repository/,
    },
    {
      why: 'a folder as kustomization',
      extra: { kustomization: 'deploy' },
      code: 'INVALID_CONFIG',
      message: /must be a regular file/,
    },
    {
      why: 'a missing branch',
      extra: { branch: 'nope' },
      code: 'REVISION_NOT_FOUND',
      message: /^branch nope does not exist on /,
    },
    {
      why: 'a branch that looks like an option',
      extra: { branch: '--upload-pack=x' },
      code: 'USAGE',
      message: /not a valid branch name/,
    },
    { why: 'an invalid tag', extra: {}, tag: '-bad tag', code: 'USAGE', message: /not a valid image tag/ },
    { why: 'zero attempts', extra: { maxAttempts: 0 }, code: 'USAGE', message: /maxAttempts/ },
    {
      why: 'an unreachable remote',
      extra: { repoUrl: join(tmp.path, 'missing.git') },
      code: 'SOURCE_UNREACHABLE',
      message: /^cannot fetch .*missing\.git: /,
    },
  ];
  for (const { why, extra, tag = 'a1b2c3d', code, message } of inputs) {
    it(`refuses ${why} with ${code}`, async () => {
      await assert.rejects(writeBack(options(fx, tmp.path, tag, extra)), refusedWith(code, message));
    });
  }

  it('refuses a kustomization that is a symlink (never writes outside its clone)', async () => {
    const outside = join(tmp.path, 'outside.yaml');
    writeFileSync(outside, 'resources: []\n');
    const link = gitFixture(tmp.path, 'linked');
    symlinkSync(outside, join(link.work, 'kustomization.yaml'));
    link.commit({}, 'a link');
    const opts = options(link, tmp.path, 'a1b2c3d', {
      kustomization: 'kustomization.yaml',
      workDir: join(tmp.path, 'wb-link'),
    });
    await assert.rejects(writeBack(opts), refusedWith('INVALID_CONFIG', /must be a regular file/));
  });

  it('reports a push the remote refuses (protected branch) as SOURCE_UNREACHABLE with its reason', async () => {
    const hook = join(fx.remote, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "main is protected" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const tip = remoteGit(fx, 'rev-parse', 'main');
    await assert.rejects(
      writeBack(options(fx, tmp.path, 'a1b2c3d', { workDir: join(tmp.path, 'wb-protected') })),
      refusedWith(
        'SOURCE_UNREACHABLE',
        /^cannot push .*app\.git: .*pre-receive hook declined.*may push to the branch/,
      ),
    );
    assert.equal(remoteGit(fx, 'rev-parse', 'main'), tip);
    assert.ok(existsSync(join(tmp.path, 'wb-protected', KUSTOMIZATION)), 'the clone is kept for next time');
  });
});
