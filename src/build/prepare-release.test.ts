import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dataLayout } from '../core/data-layout.js';
import { WandolError, hasCode } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { GitMirror } from '../source/git-mirror.js';
import { gitFixture, type GitFixture } from '../../test/support/git-fixture.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { prepareRelease, type PrepareReleaseOptions } from './prepare-release.js';
import { RELEASE_MARKER } from './release-marker.js';

describe('prepareRelease', () => {
  const tmp = tempDir();
  const layout = dataLayout(join(tmp.path, 'data'));
  const counter = join(tmp.path, 'build-count.txt'); // outside the release folder
  let fx: GitFixture;
  let mirror: GitMirror;
  let sha: string;

  const options = (overrides: Partial<PrepareReleaseOptions> = {}): PrepareReleaseOptions => ({
    mirror,
    sha,
    releaseDir: layout.releaseDir('hello', overrides.sha ?? sha),
    appPath: '.',
    buildCommand: `echo run >> ${JSON.stringify(counter)} && echo "$GREETING" > built.txt && pwd > where.txt`,
    env: { GREETING: 'hi' },
    logFile: layout.buildLog('hello', overrides.sha ?? sha),
    timeoutMs: 20_000,
    logger: silentLogger,
    app: 'hello',
    ...overrides,
  });
  const runs = (): number => (existsSync(counter) ? readFileSync(counter, 'utf8').split('\n').length - 1 : 0);

  before(async () => {
    fx = gitFixture(tmp.path);
    sha = fx.commit({
      'server.js': 'console.log(1)\n',
      'api/app.py': 'print(1)\n',
      'wandol.yaml': 'run: { command: x }\n',
    });
    mirror = new GitMirror(layout.mirror('hello'), fx.remote, silentLogger);
    await mirror.sync();
  });
  after(() => tmp.cleanup());

  it('checks out, builds in place and writes the marker last', async () => {
    const release = await prepareRelease(options());
    assert.equal(release.reused, false);
    assert.equal(release.dir, layout.releaseDir('hello', sha));
    assert.equal(release.workdir, release.dir);
    assert.equal(readFileSync(join(release.dir, 'built.txt'), 'utf8'), 'hi\n');
    assert.equal(readFileSync(join(release.dir, 'where.txt'), 'utf8').trim(), release.dir);
    assert.equal(readFileSync(join(release.dir, 'server.js'), 'utf8'), 'console.log(1)\n');
    const marker = JSON.parse(readFileSync(join(release.dir, RELEASE_MARKER), 'utf8'));
    assert.equal(marker.sha, sha);
    assert.equal(marker.buildMs, release.buildMs);
    assert.equal(runs(), 1);
    assert.match(readFileSync(layout.buildLog('hello', sha), 'utf8'), /^\$ echo run/);
  });

  it('reuses a complete folder without building again', async () => {
    const release = await prepareRelease(options());
    assert.equal(release.reused, true);
    assert.equal(runs(), 1);
  });

  it('a failed build leaves no marker, and the next attempt starts clean', async () => {
    const bad = fx.commit({ 'extra.txt': 'x' }, 'breaks the build');
    await mirror.sync();
    const failing = options({ sha: bad, buildCommand: 'echo compiling; echo "error: boom" >&2; exit 2' });
    await assert.rejects(prepareRelease(failing), (err) => {
      assert.ok(err instanceof WandolError && err.code === 'BUILD_FAILED');
      assert.equal(err.message, 'build command exited with code 2; see `wandol logs hello --build`');
      assert.deepEqual(err.details, ['compiling', 'error: boom']);
      return true;
    });
    const dir = layout.releaseDir('hello', bad);
    assert.equal(existsSync(join(dir, RELEASE_MARKER)), false);
    writeFileSync(join(dir, 'leftover.txt'), 'half-made');
    const release = await prepareRelease(options({ sha: bad }));
    assert.equal(release.reused, false);
    assert.equal(existsSync(join(dir, 'leftover.txt')), false);
    assert.equal(existsSync(join(dir, 'extra.txt')), true);
  });

  it('builds in the app path and refuses paths that leave the repository', async () => {
    const subSha = fx.commit({ 'api/wandol.yaml': 'run: { command: x }\n' }, 'api');
    await mirror.sync();
    const release = await prepareRelease(options({ sha: subSha, appPath: './api/' }));
    assert.equal(release.workdir, join(release.dir, 'api'));
    assert.equal(readFileSync(join(release.workdir, 'built.txt'), 'utf8'), 'hi\n');
    assert.equal(existsSync(join(release.dir, 'built.txt')), false);
    for (const appPath of ['..', '../other', '/etc', 'api/../../x']) {
      await assert.rejects(
        prepareRelease(options({ sha: subSha, appPath })),
        (err) => hasCode(err, 'USAGE'),
        appPath,
      );
    }
  });

  it('refuses an app path the commit does not have', async () => {
    const other = fx.commit({ 'b.txt': 'b' }, 'b');
    await mirror.sync();
    await assert.rejects(prepareRelease(options({ sha: other, appPath: 'missing' })), (err) =>
      hasCode(err, 'INVALID_CONFIG'),
    );
    assert.equal(existsSync(join(layout.releaseDir('hello', other), RELEASE_MARKER)), false);
  });

  it('without a build command, just checks out and marks the release', async () => {
    const plain = fx.commit({ 'c.txt': 'c' }, 'c');
    await mirror.sync();
    const before = runs();
    const { buildCommand: _ignored, ...rest } = options({ sha: plain });
    const release = await prepareRelease(rest);
    assert.equal(release.buildMs, 0);
    assert.equal(runs(), before);
    assert.ok(existsSync(join(release.dir, RELEASE_MARKER)));
    mkdirSync(join(tmp.path, 'unused'), { recursive: true });
  });
});
