// Build cache: prepareRelease of a new commit with an unchanged lockfile, cold (empty cache: the
// install runs) against warm (the install's folder restored from the cache), side by side in one
// run. The install is heavy without any network: ~3000 small files in nested folders and a 1 s
// pause, as `npm ci` of a mid-sized app would be minus the download.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareRelease, type PrepareReleaseOptions } from '../src/build/prepare-release.js';
import { dataLayout } from '../src/core/data-layout.js';
import { silentLogger } from '../src/core/logger.js';
import { GitMirror } from '../src/source/git-mirror.js';
import { gitFixture } from '../test/support/git-fixture.js';
import { tempDir } from '../test/support/temp-dir.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);

/** 60 packages × 5 folders × 10 files (~530 bytes each), then 1 s of "resolving". */
const INSTALL_SCRIPT = `const fs = require('fs');
const path = require('path');
const lock = fs.readFileSync('package-lock.json', 'utf8');
for (let p = 0; p < 60; p++) {
  const root = path.join('node_modules', 'pkg-' + p);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'pkg-' + p, lock }));
  for (let d = 0; d < 5; d++) {
    const dir = path.join(root, 'lib', 'sub' + d);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 10; f++)
      fs.writeFileSync(path.join(dir, 'file' + f + '.js'), 'module.exports = ' + JSON.stringify('x'.repeat(512)) + ';\\n');
  }
}
setTimeout(() => {}, 1000);
`;
const BUILD = `node -e "if (require('fs').readdirSync('node_modules').length !== 60) process.exit(1)"`;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** Runs the benchmark and returns { coldMs, warmMs, ratio } (medians over the rounds). */
export async function buildCacheBench(): Promise<Record<string, number>> {
  const dir = tempDir('wandol-bench-cache-');
  try {
    const layout = dataLayout(join(dir.path, 'data'));
    const fx = gitFixture(dir.path);
    fx.commit({
      'package-lock.json': '{"lockfileVersion":3}\n',
      'install.cjs': INSTALL_SCRIPT,
      'server.js': '0',
    });
    const mirror = new GitMirror(layout.mirror('bench'), fx.remote, silentLogger);
    let n = 0;
    /** A new commit (same lockfile) built with the given cache folder; returns its build time. */
    const build = async (cacheDir: string): Promise<number> => {
      const sha = fx.commit({ 'server.js': String(++n) });
      await mirror.sync();
      const opts: PrepareReleaseOptions = {
        mirror,
        sha,
        releaseDir: layout.releaseDir('bench', sha),
        appPath: '.',
        buildCommand: BUILD,
        logFile: layout.buildLog('bench', sha),
        timeoutMs: 120_000,
        logger: silentLogger,
        cacheDir,
        cache: [{ key: ['package-lock.json'], paths: ['node_modules'], command: 'node install.cjs' }],
      };
      const started = performance.now();
      await prepareRelease(opts);
      return performance.now() - started;
    };
    const warmCache = join(dir.path, 'cache-warm');
    await build(warmCache); // primes the warm cache; not measured
    const cold: number[] = [];
    const warm: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      cold.push(await build(join(dir.path, `cache-cold-${round}`)));
      warm.push(await build(warmCache));
    }
    const coldMs = Math.round(median(cold));
    const warmMs = Math.round(median(warm));
    return { coldMs, warmMs, ratio: Math.round((coldMs / warmMs) * 10) / 10 };
  } finally {
    dir.cleanup();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildCacheBench()
    .then((f) => console.log(JSON.stringify({ bench: 'build-cache', ...f })))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
