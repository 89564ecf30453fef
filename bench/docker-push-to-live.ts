// Docker push-to-live: for a change of application code only (the dependency layer comes from the
// engine's cache), the time from "build this commit" to the first request answered by the new
// container. wandol's path (buildImage over the API + DockerRuntime.start + waiting for the port)
// is measured side by side with a bare `docker build` + `docker run -p 127.0.0.1::3000` + waiting
// for the port by hand, in one run, alternating which goes first. Runnable alone:
//   node dist/bench/docker-push-to-live.js
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildImage } from '../src/build/docker-build.js';
import { dockerEngine } from '../src/runtimes/docker/docker-engine.js';
import { DockerRuntime } from '../src/runtimes/docker/docker-runtime.js';
import { dockerAppFiles } from '../src/runtimes/docker/docker-test-app.js';
import { dockerSkipReason, removeImages, removeScope } from '../src/runtimes/docker/docker-test-engine.js';
import { get } from '../test/support/load.js';
import { tempDir } from '../test/support/temp-dir.js';

const run = promisify(execFile);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
/** How long the stand-in for `npm ci` takes: what the layer cache saves on every code change. */
const INSTALL_MS = 3000;

/** Runs the benchmark; returns medians (ms) and the ratio wandol / bare docker. */
export async function dockerPushToLiveBench(): Promise<Record<string, number>> {
  const skip = dockerSkipReason();
  if (skip) {
    console.log(`docker-push-to-live skipped: ${skip}`);
    return {};
  }
  const dir = tempDir('wandol-bench-docker-');
  const engine = dockerEngine();
  const scope = `wandol-bench-${randomBytes(4).toString('hex')}`;
  const app = `bench${randomBytes(3).toString('hex')}`;
  const runtime = new DockerRuntime({ engine, scope });
  const context = (side: string, version: string): string => {
    const folder = join(dir.path, side);
    mkdirSync(folder, { recursive: true });
    for (const [file, text] of Object.entries(
      dockerAppFiles(version, { installMs: INSTALL_MS, depVersion: app }),
    ))
      writeFileSync(join(folder, file), text);
    return folder;
  };
  const bench = { dir: dir.path, app, scope, runtime, engine, context };
  try {
    // Warm the cache: the base image and the dependency layer exist before the first round.
    await viaWandol(bench, 'warm');
    const wandol: Timing[] = [];
    const bare: Timing[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const pair = async (): Promise<void> => void wandol.push(await viaWandol(bench, `w${round}`));
      const ref = async (): Promise<void> => void bare.push(await viaDockerCli(bench, `r${round}`));
      if (round % 2 === 1) await pair().then(ref);
      else await ref().then(pair);
    }
    const figures = {
      wandolMs: median(wandol.map((t) => t.total)),
      dockerCliMs: median(bare.map((t) => t.total)),
      wandolBuildMs: median(wandol.map((t) => t.build)),
      dockerCliBuildMs: median(bare.map((t) => t.build)),
      wandolStartMs: median(wandol.map((t) => t.start)),
      dockerCliStartMs: median(bare.map((t) => t.start)),
    };
    return { ...figures, ratio: round2(figures.wandolMs / figures.dockerCliMs), rounds: ROUNDS };
  } finally {
    await runtime.close();
    await removeScope(engine.docker, scope);
    await removeImages(engine.docker, app);
    dir.cleanup();
  }
}

interface Timing {
  build: number;
  start: number;
  total: number;
}

interface Bench {
  dir: string;
  app: string;
  /** Containers of both sides carry it, so that cleanup finds them all. */
  scope: string;
  runtime: DockerRuntime;
  engine: ReturnType<typeof dockerEngine>;
  context(side: string, version: string): string;
}

/** What wandol does: buildImage, DockerRuntime.start, then the first answer on the endpoint. */
async function viaWandol(b: Bench, version: string): Promise<Timing> {
  const contextDir = b.context('wandol', version);
  const t0 = performance.now();
  const tag = `${b.app}:${version}`;
  await buildImage({
    docker: b.engine.docker,
    contextDir,
    dockerfile: 'Dockerfile',
    tag,
    logFile: join(b.dir, 'build.log'),
  });
  const t1 = performance.now();
  const id = `${b.app}-1-blue-${version}`;
  const instance = await b.runtime.start({
    id,
    app: b.app,
    releaseId: 1,
    revision: version,
    slot: 'blue',
    workdir: '/',
    image: tag,
    port: 3000,
    env: {},
    resources: {},
    volumes: [],
    terminationGracePeriodMs: 5000,
    logFile: join(b.dir, 'app.log'),
  });
  await answered(`http://127.0.0.1:${instance.endpoint?.port}/`, version);
  const t2 = performance.now();
  await b.runtime.stop(id);
  return { build: t1 - t0, start: t2 - t1, total: t2 - t0 };
}

/** The same by hand with the docker CLI (legacy builder, as the API gives here). */
async function viaDockerCli(b: Bench, version: string): Promise<Timing> {
  const contextDir = b.context('cli', version);
  const env = { ...process.env, DOCKER_BUILDKIT: '0' };
  const tag = `${b.app}:${version}`;
  const t0 = performance.now();
  await run('docker', ['build', '-q', '-t', tag, contextDir], { env });
  const t1 = performance.now();
  const labels = ['--label', `wandol.scope=${b.scope}`];
  const { stdout: cid } = await run('docker', [
    'run',
    '-d',
    ...labels,
    '-e',
    'PORT=3000',
    '-p',
    '127.0.0.1::3000',
    tag,
  ]);
  const { stdout: address } = await run('docker', ['port', cid.trim(), '3000/tcp']);
  const port = /127\.0\.0\.1:(\d+)/.exec(address)?.[1];
  await answered(`http://127.0.0.1:${port}/`, version);
  const t2 = performance.now();
  await run('docker', ['rm', '-f', cid.trim()]);
  return { build: t1 - t0, start: t2 - t1, total: t2 - t0 };
}

/** Polls `url` every 10 ms until it answers with `version` (30 s at most). */
async function answered(url: string, version: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    // node:http with a timeout: a request that reaches docker-proxy before the app listens can hang.
    if ((await get(url, undefined, 1000)).body.startsWith(`${version} `)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${url} never answered ${version}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round(value);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await dockerPushToLiveBench();
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(20)} ${value}`);
  console.log(JSON.stringify({ bench: 'docker-push-to-live', ...figures }));
}
