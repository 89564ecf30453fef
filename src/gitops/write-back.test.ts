import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { hasCode } from '../core/errors.js';
import { tempDir } from '../../test/support/temp-dir.js';
import type { GitFixture } from '../../test/support/git-fixture.js';
import { WANDOL_BOT } from './loop-guard.js';
import { writeBack } from './write-back.js';
import { IMAGE, KUSTOMIZATION, appRepo, options, remoteGit } from './write-back-fixture.js';

describe('writeBack', () => {
  const tmp = tempDir();
  let fx: GitFixture;
  const remoteImages = (): unknown => parse(remoteGit(fx, 'show', `main:${KUSTOMIZATION}`)).images;

  before(() => {
    fx = appRepo(tmp.path);
  });
  after(() => tmp.cleanup());

  it('commits the tag as the bot, touching only the kustomization, and pushes it', async () => {
    const before = remoteGit(fx, 'rev-parse', 'main');
    const result = await writeBack(options(fx, tmp.path, 'a1b2c3d', { revision: before }));
    assert.equal(result.attempts, 1);
    assert.equal(result.commit, remoteGit(fx, 'rev-parse', 'main'));
    assert.deepEqual(remoteImages(), [{ name: IMAGE, newTag: 'a1b2c3d' }]);
    const [author, committer, subject, parent] = remoteGit(
      fx,
      'log',
      '-1',
      '--format=%an <%ae>%n%cn <%ce>%n%s%n%P',
    ).split('\n');
    const bot = `${WANDOL_BOT.name} <${WANDOL_BOT.email}>`;
    assert.deepEqual(
      [author, committer, subject, parent],
      [bot, bot, `deploy: ${IMAGE}:a1b2c3d [skip ci]`, before],
    );
    assert.match(remoteGit(fx, 'log', '-1', '--format=%b'), new RegExp(`from ${before}`));
    assert.equal(remoteGit(fx, 'diff-tree', '-r', '--name-only', '--no-commit-id', 'main'), KUSTOMIZATION);
  });

  it('is idempotent: the same tag again makes no commit', async () => {
    const tip = remoteGit(fx, 'rev-parse', 'main');
    assert.deepEqual(await writeBack(options(fx, tmp.path, 'a1b2c3d')), { commit: null, attempts: 1 });
    assert.equal(remoteGit(fx, 'rev-parse', 'main'), tip);
  });

  it('sets a new tag on the existing entry, over stray changes left in its clone', async () => {
    writeFileSync(join(tmp.path, 'wb', KUSTOMIZATION), 'garbage: [\n');
    writeFileSync(join(tmp.path, 'wb', 'stray.txt'), 'left behind\n');
    const { commit } = await writeBack(options(fx, tmp.path, 'b2c3d4e'));
    assert.ok(commit);
    assert.deepEqual(remoteImages(), [{ name: IMAGE, newTag: 'b2c3d4e' }]);
    assert.equal(remoteGit(fx, 'diff-tree', '-r', '--name-only', '--no-commit-id', 'main'), KUSTOMIZATION);
  });

  it('redoes the edit on the new tip when the remote moved before the push', async () => {
    fx.git('pull', '-q', '--rebase', 'origin', 'main');
    let other = '';
    const result = await writeBack(
      options(fx, tmp.path, 'c3d4e5f', {
        beforePush: (attempt) => {
          if (attempt === 1) other = fx.commit({ 'server.js': 'console.log("v2")\n' }, 'unrelated change');
        },
      }),
    );
    assert.equal(result.attempts, 2);
    assert.equal(remoteGit(fx, 'rev-parse', 'main^'), other, 'the other commit stays, ours is on top');
    assert.equal(remoteGit(fx, 'rev-parse', 'main'), result.commit);
    assert.equal(remoteGit(fx, 'show', 'main:server.js'), 'console.log("v2")');
    assert.deepEqual(remoteImages(), [{ name: IMAGE, newTag: 'c3d4e5f' }]);
  });

  it('gives up with CONFLICT when the branch keeps moving', async () => {
    const opts = options(fx, tmp.path, 'd4e5f6a', {
      maxAttempts: 2,
      beforePush: (attempt) => {
        fx.git('pull', '-q', '--rebase', 'origin', 'main');
        fx.commit({ 'server.js': `console.log(${attempt})\n` }, 'busy');
      },
    });
    await assert.rejects(writeBack(opts), (err: Error) => {
      assert.ok(hasCode(err, 'CONFLICT'));
      assert.match(
        err.message,
        /^write-back to .*app\.git failed after 2 attempts: the branch main keeps moving/,
      );
      return true;
    });
    assert.notEqual(remoteGit(fx, 'log', '-1', '--format=%ae', 'main'), WANDOL_BOT.email);
  });

  it('runs concurrent write-backs to one clone one after the other', async () => {
    const [a, b] = await Promise.all([
      writeBack(options(fx, tmp.path, 'e5f6a7b')),
      writeBack(options(fx, tmp.path, 'f6a7b8c')),
    ]);
    assert.ok(a.commit && b.commit);
    assert.equal(remoteGit(fx, 'rev-parse', 'main^'), a.commit);
    assert.deepEqual(remoteImages(), [{ name: IMAGE, newTag: 'f6a7b8c' }]);
  });
});
