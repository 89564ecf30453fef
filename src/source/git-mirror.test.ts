import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { WandolError, hasCode } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { gitFixture, type GitFixture } from '../../test/support/git-fixture.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { GitMirror } from './git-mirror.js';

const code = (expected: string) => (err: unknown) => {
  assert.ok(hasCode(err, expected as never), `expected ${expected}, got ${String(err)}`);
  return true;
};

describe('GitMirror', () => {
  const tmp = tempDir();
  let fx: GitFixture;
  let mirror: GitMirror;
  let first: string;
  let second: string;

  before(async () => {
    fx = gitFixture(tmp.path);
    first = fx.commit(
      { 'wandol.yaml': 'run: { command: node server.js }\n', 'README.md': 'v1\n' },
      'first commit',
    );
    fx.git('tag', 'v1');
    fx.git('push', '-q', 'origin', 'v1');
    second = fx.commit({ 'README.md': 'v2\n', 'api/wandol.yaml': 'x: 1\n' }, 'second commit\n\nwith a body');
    mirror = new GitMirror(join(tmp.path, 'data', 'apps', 'app', 'mirror.git'), fx.remote, silentLogger);
    await mirror.sync();
  });
  after(() => tmp.cleanup());

  it('mirrors the branches on first sync', async () => {
    assert.equal(await mirror.resolveBranch('main'), second);
    assert.deepEqual(await mirror.branches(), ['main']);
  });

  it('fetches new commits and prunes deleted branches', async () => {
    const tip = fx.git('rev-parse', 'HEAD');
    const feature = fx.commit({ 'f.txt': 'f' }, 'feature', 'feature/x');
    fx.git('reset', '-q', '--hard', tip); // keep the clone's main as it was
    await mirror.sync();
    assert.equal(await mirror.resolveBranch('feature/x'), feature);
    fx.git('push', '-q', 'origin', '--delete', 'feature/x');
    await mirror.sync();
    await assert.rejects(mirror.resolveBranch('feature/x'), code('REVISION_NOT_FOUND'));
  });

  it('refuses an unknown branch, naming the branches that exist', async () => {
    await assert.rejects(mirror.resolveBranch('mian'), (err) => {
      assert.ok(err instanceof WandolError && err.code === 'REVISION_NOT_FOUND');
      assert.match(err.message, /branch "mian" not found in .*app\.git \(branches: main\)/);
      return true;
    });
    await assert.rejects(mirror.resolveBranch('main~1'), code('REVISION_NOT_FOUND'));
    await assert.rejects(mirror.resolveBranch('--all'), code('REVISION_NOT_FOUND'));
  });

  it('resolves full and short shas, tags, branches and expressions', async () => {
    assert.equal(await mirror.resolveRevision(first), first);
    assert.equal(await mirror.resolveRevision(first.slice(0, 7)), first);
    assert.equal(await mirror.resolveRevision('v1'), first);
    assert.equal(await mirror.resolveRevision('main'), second);
    assert.equal(await mirror.resolveRevision('main~1'), first);
    for (const bad of ['nope', 'f'.repeat(40), '--all', '-h', 'main:README.md', 'a b', '']) {
      await assert.rejects(mirror.resolveRevision(bad), code('REVISION_NOT_FOUND'), bad);
    }
  });

  it('reads commit info', async () => {
    const info = await mirror.commitInfo(second);
    assert.equal(info.sha, second);
    assert.equal(info.author, 'Test User');
    assert.equal(info.authorEmail, 'test@example.invalid');
    assert.equal(info.message, 'second commit');
    assert.deepEqual(info.parents, [first]);
    assert.ok(Math.abs(Date.parse(info.committedAt) - Date.now()) < 600_000);
    assert.deepEqual((await mirror.commitInfo(first)).parents, []);
    await assert.rejects(mirror.commitInfo('f'.repeat(40)), code('REVISION_NOT_FOUND'));
    await assert.rejects(mirror.commitInfo('main'), code('REVISION_NOT_FOUND'));
  });

  it('reads files of a commit; absent files are undefined', async () => {
    assert.equal(await mirror.readFile(first, 'README.md'), 'v1\n');
    assert.equal(await mirror.readFile(second, './api/wandol.yaml'), 'x: 1\n');
    assert.equal(await mirror.readFile(first, 'api/wandol.yaml'), undefined);
    assert.equal(await mirror.readFile(second, 'api'), undefined);
    await assert.rejects(mirror.readFile('f'.repeat(40), 'README.md'), code('REVISION_NOT_FOUND'));
    await assert.rejects(mirror.readFile(first, '../etc/passwd'), code('USAGE'));
  });

  it('knows ancestry', async () => {
    assert.equal(await mirror.isAncestor(first, second), true);
    assert.equal(await mirror.isAncestor(second, first), false);
    assert.equal(await mirror.isAncestor(second, second), true);
    await assert.rejects(mirror.isAncestor('f'.repeat(40), second), code('REVISION_NOT_FOUND'));
  });

  it('checks out an exact copy of the tree without .git', async () => {
    fx.commit({ 'bin/run.sh': '#!/bin/sh\necho hi\n', 'deep/a/b.txt': 'b' }, 'more files');
    chmodSync(join(fx.work, 'bin/run.sh'), 0o755);
    const sha = fx.commit({}, 'exec bit');
    await mirror.sync();
    const dest = join(tmp.path, 'releases', sha);
    await mirror.checkout(sha, dest);
    assert.deepEqual(readdirSync(dest).sort(), ['README.md', 'api', 'bin', 'deep', 'wandol.yaml']);
    assert.equal(readFileSync(join(dest, 'deep/a/b.txt'), 'utf8'), 'b');
    assert.ok(lstatSync(join(dest, 'bin/run.sh')).mode & 0o100, 'the executable bit is kept');
    assert.equal(existsSync(join(dest, '.git')), false);
    await assert.rejects(mirror.checkout(sha, dest), code('CONFLICT'));
    await assert.rejects(
      mirror.checkout('f'.repeat(40), join(tmp.path, 'releases', 'x')),
      code('REVISION_NOT_FOUND'),
    );
    assert.equal(existsSync(join(tmp.path, 'releases', 'x')), false);
  });

  it('keeps symlinks as symlinks', async () => {
    symlinkSync('README.md', join(fx.work, 'link.md'));
    const sha = fx.commit({}, 'link');
    await mirror.sync();
    const dest = join(tmp.path, 'releases', sha);
    await mirror.checkout(sha, dest);
    assert.equal(readlinkSync(join(dest, 'link.md')), 'README.md');
  });
});

describe('GitMirror addresses', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('accepts file:// URLs and relative paths', async () => {
    const fx = gitFixture(tmp.path, 'addr');
    const sha = fx.commit({ 'a.txt': 'a' });
    const viaUrl = new GitMirror(join(tmp.path, 'm1.git'), pathToFileURL(fx.remote).href, silentLogger);
    await viaUrl.sync();
    assert.equal(await viaUrl.resolveBranch('main'), sha);
    const cwd = process.cwd();
    process.chdir(tmp.path);
    try {
      const viaRelative = new GitMirror(join(tmp.path, 'm2.git'), './addr.git', silentLogger);
      process.chdir(cwd);
      await viaRelative.sync();
      assert.equal(await viaRelative.resolveBranch('main'), sha);
    } finally {
      process.chdir(cwd);
    }
  });

  it('follows a changed URL and serialises concurrent syncs', async () => {
    const a = gitFixture(tmp.path, 'a');
    const b = gitFixture(tmp.path, 'b');
    a.commit({ 'a.txt': 'a' });
    const shaB = b.commit({ 'b.txt': 'b' });
    const dir = join(tmp.path, 'moving.git');
    await new GitMirror(dir, a.remote, silentLogger).sync();
    const moved = new GitMirror(dir, b.remote, silentLogger);
    await Promise.all([moved.sync(), moved.sync(), moved.sync()]);
    assert.equal(await moved.resolveBranch('main'), shaB);
  });

  it('refuses an unreachable repository and leaves nothing behind', async () => {
    const dir = join(tmp.path, 'gone', 'mirror.git');
    const mirror = new GitMirror(dir, join(tmp.path, 'does-not-exist.git'), silentLogger);
    await assert.rejects(mirror.sync(), (err) => {
      assert.ok(err instanceof WandolError && err.code === 'SOURCE_UNREACHABLE');
      assert.match(
        err.message,
        /^cannot fetch .*does-not-exist\.git: .*does not appear to be a git repository/,
      );
      assert.match(err.message, /Check the URL and the credentials; wandol retries with backoff\.$/);
      return true;
    });
    assert.deepEqual(readdirSync(join(tmp.path, 'gone')), []);
    await assert.rejects(mirror.resolveBranch('main'), code('INTERNAL'));
  });

  it('never shows the credentials of a URL', async () => {
    const mirror = new GitMirror(
      join(tmp.path, 'creds.git'),
      'https://user:secret@127.0.0.1:1/x.git',
      silentLogger,
    );
    assert.equal(mirror.displayUrl, 'https://***@127.0.0.1:1/x.git');
    await assert.rejects(mirror.sync(), (err) => {
      assert.ok(err instanceof WandolError && err.code === 'SOURCE_UNREACHABLE');
      const shown = [err.message, ...err.details, String(err.stack)].join('\n');
      assert.ok(!shown.includes('secret'), shown);
      assert.match(err.message, /^cannot fetch https:\/\/\*\*\*@127\.0\.0\.1:1\/x\.git: /);
      return true;
    });
  });
});
