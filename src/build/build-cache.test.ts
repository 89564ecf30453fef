import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dataLayout } from '../core/data-layout.js';
import { WandolError, hasCode } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { GitMirror } from '../source/git-mirror.js';
import { gitFixture, type GitFixture } from '../../test/support/git-fixture.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { BuildCacheEntry, KEPT_KEYS } from './build-cache.js';
import { prepareRelease, type PrepareReleaseOptions } from './prepare-release.js';

describe('build cache', () => {
  const tmp = tempDir();
  const layout = dataLayout(join(tmp.path, 'data'));
  const cacheDir = join(layout.appDir('hello'), 'cache');
  const installs = join(tmp.path, 'installs.txt'); // outside every release folder
  const q = JSON.stringify;
  // The "install": counts its runs and fills node_modules from the lockfile.
  const install = `echo run >> ${q(installs)} && mkdir -p node_modules/pkg/deep && cp package-lock.json node_modules/pkg/deep/lock.txt`;
  let fx: GitFixture;
  let mirror: GitMirror;

  const options = (sha: string, overrides: Partial<PrepareReleaseOptions> = {}): PrepareReleaseOptions => ({
    mirror,
    sha,
    releaseDir: layout.releaseDir('hello', sha),
    appPath: '.',
    buildCommand: 'cat node_modules/pkg/deep/lock.txt > built.txt',
    logFile: layout.buildLog('hello', sha),
    timeoutMs: 30_000,
    logger: silentLogger,
    app: 'hello',
    cacheDir,
    cache: [{ key: ['package-lock.json'], paths: ['node_modules'], command: install }],
    ...overrides,
  });
  const runs = (): number =>
    existsSync(installs) ? readFileSync(installs, 'utf8').split('\n').length - 1 : 0;
  const commit = async (files: Record<string, string | null>): Promise<string> => {
    const sha = fx.commit(files);
    await mirror.sync();
    return sha;
  };
  const entryDir = (): string => new BuildCacheEntry(cacheDir, { key: [], paths: ['node_modules'] }).dir;
  const savedKeys = (): string[] => readdirSync(entryDir()).sort();

  before(async () => {
    fx = gitFixture(tmp.path);
    mirror = new GitMirror(layout.mirror('hello'), fx.remote, silentLogger);
  });
  after(() => tmp.cleanup());

  it('a first build runs the install command and saves the folder', async () => {
    const sha = await commit({ 'package-lock.json': 'lock-v1\n', 'server.js': 'one' });
    const release = await prepareRelease(options(sha));
    assert.equal(runs(), 1);
    assert.equal(readFileSync(join(release.workdir, 'built.txt'), 'utf8'), 'lock-v1\n');
    assert.equal(release.cache?.length, 1);
    assert.equal(release.cache?.[0]?.hit, false);
    assert.match(release.cache?.[0]?.key ?? '', /^sha256:[0-9a-f]{64}$/);
    const log = readFileSync(layout.buildLog('hello', sha), 'utf8');
    assert.match(log, /^# cache miss for node_modules \(key sha256:[0-9a-f]{12}\): running echo run/m);
    assert.match(log, /^# cache saved for node_modules/m);
    assert.equal(savedKeys().length, 1);
  });

  it('another commit with the same lockfile restores the folder and skips the install', async () => {
    const sha = await commit({ 'server.js': 'two' });
    const release = await prepareRelease(options(sha));
    assert.equal(runs(), 1, 'the install did not run again');
    assert.equal(release.cache?.[0]?.hit, true);
    assert.equal(readFileSync(join(release.workdir, 'node_modules/pkg/deep/lock.txt'), 'utf8'), 'lock-v1\n');
    assert.equal(readFileSync(join(release.workdir, 'built.txt'), 'utf8'), 'lock-v1\n');
    assert.match(
      readFileSync(layout.buildLog('hello', sha), 'utf8'),
      /^# cache hit for node_modules \(key sha256:[0-9a-f]{12}\): restored in /m,
    );
    // A copy, not a hard link: the build may change its files without touching the cache.
    const restored = join(release.workdir, 'node_modules/pkg/deep/lock.txt');
    assert.equal(statSync(restored).nlink, 1);
    writeFileSync(restored, 'changed by a build');
    const next = await prepareRelease(options(await commit({ 'server.js': 'three' })));
    assert.equal(readFileSync(join(next.workdir, 'built.txt'), 'utf8'), 'lock-v1\n');
    assert.equal(runs(), 1);
  });

  it('a changed lockfile runs the install again', async () => {
    const sha = await commit({ 'package-lock.json': 'lock-v2\n' });
    const release = await prepareRelease(options(sha));
    assert.equal(runs(), 2);
    assert.equal(release.cache?.[0]?.hit, false);
    assert.equal(readFileSync(join(release.workdir, 'built.txt'), 'utf8'), 'lock-v2\n');
    assert.equal(savedKeys().length, 2);
  });

  it('a failing install command fails the build and saves nothing', async () => {
    const before = savedKeys();
    const sha = await commit({ 'package-lock.json': 'lock-broken\n' });
    const failing = options(sha, {
      cache: [
        {
          key: ['package-lock.json'],
          paths: ['node_modules'],
          command: `${install} && echo "E404 nope" >&2 && exit 7`,
        },
      ],
    });
    await assert.rejects(prepareRelease(failing), (err) => {
      assert.ok(err instanceof WandolError && err.code === 'BUILD_FAILED');
      assert.match(err.message, /exited with code 7/);
      assert.deepEqual(err.details, ['E404 nope']);
      return true;
    });
    assert.deepEqual(savedKeys(), before);
    assert.equal(
      existsSync(join(layout.releaseDir('hello', sha), 'built.txt')),
      false,
      'build.command never ran',
    );
  });

  it(`keeps the ${KEPT_KEYS} most recently used keys`, async () => {
    for (const version of ['v3', 'v4', 'v5'])
      await prepareRelease(options(await commit({ 'package-lock.json': version })));
    assert.equal(savedKeys().length, KEPT_KEYS);
    const installsBefore = runs();
    // v5 was used last: still a hit; v1 was pruned: a miss.
    await prepareRelease(options(await commit({ 'server.js': 'four' })));
    assert.equal(runs(), installsBefore);
    await prepareRelease(options(await commit({ 'package-lock.json': 'lock-v1\n' })));
    assert.equal(runs(), installsBefore + 1);
    assert.equal(savedKeys().length, KEPT_KEYS);
  });

  it('an entry without command is saved after build.command; a missing key file is a key too', async () => {
    const outputs = join(tmp.path, 'compiles.txt');
    const cache = [{ key: ['no-such.lock'], paths: ['.build-cache'] }];
    const buildCommand = `test -f .build-cache/done || { echo run >> ${q(outputs)}; mkdir -p .build-cache; touch .build-cache/done; }`;
    const first = await prepareRelease(options(await commit({ 'x.txt': '1' }), { cache, buildCommand }));
    assert.equal(first.cache?.[0]?.hit, false);
    const second = await prepareRelease(options(await commit({ 'x.txt': '2' }), { cache, buildCommand }));
    assert.equal(second.cache?.[0]?.hit, true);
    assert.equal(readFileSync(outputs, 'utf8'), 'run\n');
  });

  it('without a cache folder, the install runs every time', async () => {
    const before = runs();
    await prepareRelease(options(await commit({ 'y.txt': '1' }), { cacheDir: undefined }));
    await prepareRelease(options(await commit({ 'y.txt': '2' }), { cacheDir: undefined }));
    assert.equal(runs(), before + 2);
  });

  it('refuses to restore through a symlink that leaves the app folder', async () => {
    const work = join(tmp.path, 'work');
    const outside = join(tmp.path, 'outside');
    mkdirSync(outside, { recursive: true });
    mkdirSync(join(work, 'real/sub'), { recursive: true });
    writeFileSync(join(work, 'real/sub/f.txt'), 'x');
    const entry = new BuildCacheEntry(join(tmp.path, 'unit-cache'), { key: ['k'], paths: ['link/sub'] });
    symlinkSync(join(work, 'real'), join(work, 'link')); // inside: fine
    const key = await entry.key(work);
    await entry.save(key, work);
    assert.equal(await entry.has(key), true);
    const other = join(tmp.path, 'work2');
    mkdirSync(other, { recursive: true });
    symlinkSync(outside, join(other, 'link'));
    await assert.rejects(entry.restore(key, other), (err) => hasCode(err, 'INVALID_CONFIG'));
    assert.deepEqual(readdirSync(outside), []);
  });
});
