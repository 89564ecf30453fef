import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { parseAppSpec } from '../config/parse-app-spec.js';
import { dataLayout } from '../core/data-layout.js';
import { silentLogger } from '../core/logger.js';
import { shortSha } from '../core/names.js';
import { dockerEngine } from '../runtimes/docker/docker-engine.js';
import { DockerRuntime } from '../runtimes/docker/docker-runtime.js';
import { dockerAppFiles } from '../runtimes/docker/docker-test-app.js';
import {
  BUSYBOX_IMAGE,
  dockerSkipReason,
  removeImages,
  removeScope,
} from '../runtimes/docker/docker-test-engine.js';
import { GitMirror } from '../source/git-mirror.js';
import type { AppRow } from '../store/app-store.js';
import { gitFixture } from '../../test/support/git-fixture.js';
import { get } from '../../test/support/load.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { waitFor } from '../../test/support/wait-for.js';
import { buildContext, buildImage, dockerBuilder, pruneImages } from './docker-build.js';
import { RELEASE_MARKER } from './release-marker.js';

const skip = dockerSkipReason();
const MiB = 1024 * 1024;

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** The file names in a tar stream, as `tar -t` lists them (folders end with /). */
async function tarNames(stream: Readable): Promise<string[]> {
  const tar = spawn('tar', ['-tf', '-'], { stdio: ['pipe', 'pipe', 'inherit'] });
  stream.pipe(tar.stdin);
  let out = '';
  tar.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => tar.once('close', resolve));
  return out
    .split('\n')
    .map((n) => n.replace(/^\.\//, '').replace(/\/$/, ''))
    .filter((n) => n !== '')
    .sort();
}

describe('buildContext', () => {
  const dir = tempDir('wandol-build-context-');
  after(() => dir.cleanup());

  it('honours .dockerignore (exceptions too), always sends the Dockerfile, never the release marker', async () => {
    writeTree(dir.path, {
      'docker/Dockerfile': 'FROM scratch\n',
      '.dockerignore': 'node_modules\n*.log\n!keep.log\ndocker\nsecret.env\nconfig\n!config/public.json\n',
      'server.js': 'x',
      'a.log': 'x',
      'keep.log': 'x',
      'node_modules/dep/index.js': 'x',
      'src/lib.js': 'x',
      'src/deep.log': 'x',
      'secret.env': 'x',
      'config/private.json': 'x',
      'config/public.json': 'x',
      [RELEASE_MARKER]: '{}',
    });
    const names = await tarNames(await buildContext(dir.path, 'docker/Dockerfile'));
    // Docker's patterns are anchored at the context root: `*.log` leaves src/deep.log in.
    assert.deepEqual(names, [
      '.',
      '.dockerignore',
      'config',
      'config/public.json',
      'docker',
      'docker/Dockerfile',
      'keep.log',
      'server.js',
      'src',
      'src/deep.log',
      'src/lib.js',
    ]);
  });
});

describe('docker builds against the engine', { skip }, () => {
  const dir = tempDir('wandol-docker-build-');
  const engine = dockerEngine();
  const docker = engine.docker;
  const scope = `wandol-test-${randomBytes(4).toString('hex')}`;
  const app = `b${randomBytes(3).toString('hex')}`;
  const logFile = join(dir.path, 'build.log');
  let runtime: DockerRuntime;

  before(() => (runtime = new DockerRuntime({ engine, scope })));
  after(async () => {
    await runtime?.close();
    await removeScope(docker, scope);
    await removeImages(docker, app);
    dir.cleanup();
  });

  it('builds a Node server FROM local/node-base:20 that answers on its published 127.0.0.1 port', async () => {
    const context = join(dir.path, 'ctx-node');
    writeTree(context, dockerAppFiles('v1'));
    const { imageId, buildMs } = await buildImage({
      docker,
      contextDir: context,
      dockerfile: 'Dockerfile',
      tag: `${app}:node`,
      logFile,
    });
    assert.match(imageId, /^sha256:[0-9a-f]{64}$/);
    assert.ok(buildMs > 0);
    assert.match(readFileSync(logFile, 'utf8'), /Step 1\/\d+ : FROM local\/node-base:20/);
    const instance = await runtime.start({
      id: `${app}-1-blue-0`,
      app,
      releaseId: 1,
      revision: 'b'.repeat(40),
      slot: 'blue',
      workdir: '/',
      image: `${app}:node`,
      port: 3000,
      env: {},
      resources: { memoryBytes: 256 * MiB },
      volumes: [],
      terminationGracePeriodMs: 5000,
      logFile: join(dir.path, 'app.log'),
    });
    assert.equal(instance.endpoint?.host, '127.0.0.1');
    const body = await waitFor('the server answers', async () => {
      const res = await get(`http://127.0.0.1:${instance.endpoint?.port}/`, undefined, 1000);
      return res.ok && res.body;
    });
    assert.equal(body, 'v1 dep 1.0.0');
    await runtime.stop(instance.id);
  });

  it('fails with BUILD_FAILED and the last log lines when a step fails', async () => {
    const context = join(dir.path, 'ctx-fail');
    writeTree(context, { Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo about-to-fail && exit 4\n` });
    await assert.rejects(
      buildImage({ docker, contextDir: context, dockerfile: 'Dockerfile', tag: `${app}:fail`, logFile, app }),
      (err: { code: string; message: string; details: string[] }) => {
        assert.equal(err.code, 'BUILD_FAILED');
        assert.match(err.message, /returned a non-zero code: 4/);
        assert.match(err.message, new RegExp(`wandol logs ${app} --build`));
        assert.ok(
          err.details.some((l) => l.includes('about-to-fail')),
          err.details.join('\n'),
        );
        return true;
      },
    );
  });

  it('stops a RUN step over build.memory', async () => {
    const context = join(dir.path, 'ctx-oom');
    writeTree(context, { Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN tail /dev/zero\n` });
    const build = buildImage({
      docker,
      contextDir: context,
      dockerfile: 'Dockerfile',
      tag: `${app}:oom`,
      logFile,
      memoryBytes: 32 * MiB,
    });
    await assert.rejects(build, (err: { code: string; message: string }) => {
      assert.equal(err.code, 'BUILD_FAILED');
      assert.match(err.message, /non-zero code: 137/);
      return true;
    });
  });

  it('is cancelled by its signal (CANCELLED) and by build.timeout (TIMEOUT)', async () => {
    const context = join(dir.path, 'ctx-slow');
    writeTree(context, {
      Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo slow-${randomBytes(4).toString('hex')} && sleep 60\n`,
    });
    const abort = new AbortController();
    const options = { docker, contextDir: context, dockerfile: 'Dockerfile', tag: `${app}:slow`, logFile };
    const cancelled = buildImage({ ...options, signal: abort.signal });
    await waitFor('the slow step to run', () => readFileSync(logFile, 'utf8').includes('sleep 60'));
    abort.abort();
    await assert.rejects(cancelled, { code: 'CANCELLED' });
    await assert.rejects(buildImage({ ...options, timeoutMs: 1500 }), { code: 'TIMEOUT' });
    await assert.rejects(buildImage({ ...options, signal: abort.signal }), { code: 'CANCELLED' });
  });

  it('dockerBuilder: checks out, builds <app>:<sha7>, reuses, caches dependency layers, prunes old images', async () => {
    const repo = gitFixture(dir.path, 'repo');
    const layout = dataLayout(join(dir.path, 'data'));
    const mirror = new GitMirror(layout.mirror(app), repo.remote, silentLogger);
    const builder = dockerBuilder({
      docker,
      layout,
      checkoutFor: () => mirror,
      logger: silentLogger,
      keepImages: 1,
    });
    const row: AppRow = {
      name: app,
      repo: repo.remote,
      branch: 'main',
      path: '.',
      pollMs: 60_000,
      createdAt: new Date().toISOString(),
      liveReleaseId: null,
      headRevision: null,
      lastAttemptedRevision: null,
      lastError: null,
      replicas: null,
    };
    const spec = parseAppSpec('runtime: docker\nbuild: { dockerfile: Dockerfile }\nrun: { port: 3000 }\n');
    const signal = new AbortController().signal;
    const sha1 = repo.commit({ ...dockerAppFiles('v1', { depVersion: `1-${app}` }) }, 'v1');
    await mirror.sync();
    const first = await builder.build({ app: row, sha: sha1, spec, signal });
    assert.equal(first.image, `${app}:${shortSha(sha1)}`);
    assert.equal(first.reused, false);
    assert.equal(first.dir, layout.releaseDir(app, sha1));
    const again = await builder.build({ app: row, sha: sha1, spec, signal });
    assert.equal(again.reused, true);
    assert.equal(again.imageId, first.imageId);

    const sha2 = repo.commit(
      { 'server.js': dockerAppFiles('v2', { depVersion: `1-${app}` })['server.js'] ?? '' },
      'v2',
    );
    await mirror.sync();
    const second = await builder.build({ app: row, sha: sha2, spec, signal });
    assert.notEqual(second.imageId, first.imageId);
    const log = readFileSync(layout.buildLog(app, sha2), 'utf8');
    assert.match(
      log,
      /RUN \["node", "-e"[^\n]*\n ---> Using cache/,
      'the dependency layer came from the cache',
    );
    const tags = (await docker.listImages({ filters: { reference: [`${app}:*`] } })).flatMap(
      (i) => i.RepoTags ?? [],
    );
    assert.deepEqual(tags.filter((t) => t.startsWith(`${app}:`) && t !== `${app}:node`).sort(), [
      second.image,
    ]);
  });

  it('pruneImages removes other tags of the app but not an image a container uses', async () => {
    const context = join(dir.path, 'ctx-prune');
    writeTree(context, { Dockerfile: `FROM ${BUSYBOX_IMAGE}\nCMD ["sleep", "300"]\n` });
    for (const tag of ['p1', 'p2', 'p3']) {
      await buildImage({
        docker,
        contextDir: context,
        dockerfile: 'Dockerfile',
        tag: `${app}-p:${tag}`,
        logFile,
        labels: { n: tag },
      });
    }
    const used = await docker.createContainer({ Image: `${app}-p:p2`, Labels: { 'wandol.scope': scope } });
    await used.start();
    const removed = await pruneImages(docker, `${app}-p`, [`${app}-p:p3`]);
    assert.deepEqual(removed, [`${app}-p:p1`]);
    assert.deepEqual(await pruneImages(docker, `${app}-p`, [`${app}-p:p3`]), []);
    await used.remove({ force: true });
    await removeImages(docker, `${app}-p`);
  });
});
