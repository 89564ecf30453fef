import { lstatSync } from 'node:fs';
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname, posix, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import dockerignoreModule from '@balena/dockerignore';
import type Docker from 'dockerode';
import { pack } from 'tar-fs';
import type { AppSpec } from '../config/app-spec.js';
import { formatDuration } from '../core/duration.js';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { shortSha } from '../core/names.js';
import type { AppRow } from '../store/app-store.js';
import type { BuildPort, BuiltRelease } from '../sync/ports.js';
import { readLogTail } from './log-tail.js';
import { prepareRelease, type CommitCheckout } from './prepare-release.js';
import { RELEASE_MARKER } from './release-marker.js';

/** One image build from a folder and its Dockerfile. */
export interface BuildImageOptions {
  docker: Docker;
  /** The build context: the app's folder in the release. */
  contextDir: string;
  /** The Dockerfile, relative to `contextDir` (build.dockerfile). */
  dockerfile: string;
  /** `<app>:<sha7>`. */
  tag: string;
  /** The build's output is appended here (folders created). */
  logFile: string;
  /** build.memory: the memory (and swap) limit of the build's RUN steps. */
  memoryBytes?: number;
  /** build.timeout: the build is cancelled after this long (TIMEOUT). */
  timeoutMs?: number;
  /** Labels on the image (wandol.app, wandol.revision). */
  labels?: Record<string, string>;
  signal?: AbortSignal;
  /** The app's name, for the `wandol logs <app> --build` hint. */
  app?: string;
}

/**
 * Builds an image with the engine's own builder (POST /build) from `contextDir` sent as a tar that
 * honours its .dockerignore, tags it, and streams the build output into `logFile`. Layer caching is
 * the engine's: unchanged steps (dependencies) are reused between commits. Throws BUILD_FAILED with
 * the last 20 log lines in details, TIMEOUT or CANCELLED (the build is cancelled in the engine),
 * DATAPLANE_UNREACHABLE when the engine does not answer.
 */
export async function buildImage(opts: BuildImageOptions): Promise<{ imageId: string; buildMs: number }> {
  if (opts.signal?.aborted) throw new WandolError('CANCELLED', 'build cancelled before it started');
  await mkdir(dirname(opts.logFile), { recursive: true });
  const log = await open(opts.logFile, 'a');
  const started = Date.now();
  const stop = abortOn(opts.signal, opts.timeoutMs);
  try {
    await log.write(`$ docker build -f ${opts.dockerfile} -t ${opts.tag} .\n`);
    const from = (await log.stat()).size;
    const outcome = await runBuild(opts, log, stop.signal).catch((err: unknown): BuildOutcome => ({
      failure: err,
    }));
    const buildMs = Date.now() - started;
    const imageId = outcome.imageId;
    await log.write(
      `# ${imageId ? `built ${opts.tag} (${imageId.slice(7, 19)})` : 'failed'} after ${formatDuration(buildMs)}\n`,
    );
    if (imageId) return { imageId, buildMs };
    const tail = await readLogTail(opts.logFile, from);
    throw buildFailure(opts, stop.why(), outcome.failure, tail);
  } finally {
    stop.dispose();
    await log.close();
  }
}

/** A built image's id, or why there is none (the engine's error text, or what was thrown). */
type BuildOutcome = { imageId?: string; failure?: unknown };

/** Sends the context, copies the JSON stream's `stream`/`error` text into the log. */
async function runBuild(
  opts: BuildImageOptions,
  log: FileHandle,
  signal: AbortSignal,
): Promise<BuildOutcome> {
  const context = await buildContext(opts.contextDir, opts.dockerfile);
  const response = (await opts.docker.buildImage(context, {
    t: opts.tag,
    dockerfile: opts.dockerfile,
    rm: true,
    forcerm: true,
    ...(opts.memoryBytes ? { memory: opts.memoryBytes, memswap: opts.memoryBytes } : {}),
    ...(opts.labels ? { labels: opts.labels } : {}),
    abortSignal: signal,
  })) as Readable;
  signal.addEventListener('abort', () => response.destroy(), { once: true });
  let imageId: string | undefined;
  let error: string | undefined;
  const handle = async (line: string): Promise<void> => {
    const event = parseEvent(line);
    if (event.stream) await log.write(event.stream);
    if (event.error) {
      error = event.error;
      await log.write(`${event.error}\n`);
    }
    imageId = event.aux?.ID ?? imageId;
  };
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const chunk of response) {
      pending += decoder.write(chunk as Buffer);
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        await handle(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    }
  } catch (err) {
    if (!signal.aborted) throw err; // a destroyed response after an abort ends the loop this way
  }
  await handle(pending + decoder.end());
  if (signal.aborted) throw signal.reason;
  if (error !== undefined) return { failure: error };
  imageId ??= (await opts.docker.getImage(opts.tag).inspect()).Id;
  return { imageId };
}

interface BuildEvent {
  stream?: string;
  error?: string;
  aux?: { ID?: string };
}

function parseEvent(line: string): BuildEvent {
  if (line.trim() === '') return {};
  try {
    return JSON.parse(line) as BuildEvent;
  } catch {
    return { stream: `${line}\n` };
  }
}

/**
 * The build context of `dir` as a tar stream, without what its .dockerignore excludes (Docker's
 * pattern rules, `!` exceptions included) and without wandol's release marker; the Dockerfile and
 * .dockerignore are always sent, as the Docker CLI does.
 */
export async function buildContext(dir: string, dockerfile: string): Promise<Readable> {
  const patterns = await readFile(`${dir}/.dockerignore`, 'utf8').catch(() => '');
  // The package is CommonJS with `factory.default = factory`: `.default` works under NodeNext.
  const ignore = dockerignoreModule.default({ ignorecase: false }).add(patterns);
  const exceptions = patterns
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => posix.normalize(l.slice(1).trim()).replace(/^\/+/, ''));
  const always = new Set([posix.normalize(dockerfile), '.dockerignore']);
  return pack(dir, {
    ignore: (name) => {
      const rel = relative(dir, name).split(sep).join('/');
      if (rel === RELEASE_MARKER) return true;
      if (rel === '' || always.has(rel) || !ignore.ignores(rel)) return false;
      // Docker's rule: look inside an ignored folder only if an exception names a path in it.
      const inside = [...exceptions, ...always].some((e) => `${e}/`.startsWith(`${rel}/`));
      return !(inside && lstatSync(name).isDirectory());
    },
  }) as unknown as Readable;
}

/** An abort signal for the caller's signal or the timeout, remembering which fired. */
function abortOn(
  outer: AbortSignal | undefined,
  timeoutMs: number | undefined,
): { signal: AbortSignal; why(): 'timeout' | 'cancelled' | undefined; dispose(): void } {
  const controller = new AbortController();
  let why: 'timeout' | 'cancelled' | undefined;
  const fire = (reason: 'timeout' | 'cancelled') => () => {
    why ??= reason;
    controller.abort(new Error(reason));
  };
  const onAbort = fire('cancelled');
  outer?.addEventListener('abort', onAbort, { once: true });
  const timer = timeoutMs === undefined ? undefined : setTimeout(fire('timeout'), timeoutMs);
  return {
    signal: controller.signal,
    why: () => why,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

function buildFailure(
  opts: BuildImageOptions,
  stopped: 'timeout' | 'cancelled' | undefined,
  cause: unknown,
  details: string[],
): WandolError {
  const hint = `see \`wandol logs ${opts.app ?? '<app>'} --build\``;
  if (stopped === 'timeout') {
    const message = `docker build gave no result within ${formatDuration(opts.timeoutMs ?? 0)} and was cancelled; raise build.timeout in wandol.yaml or make the build faster (${hint})`;
    return new WandolError('TIMEOUT', message, { details });
  }
  if (stopped === 'cancelled') return new WandolError('CANCELLED', 'build cancelled', { details });
  if (cause instanceof WandolError) return cause;
  if ((cause as { syscall?: unknown } | null)?.syscall === 'connect') {
    const at = (opts.docker.modem as { socketPath?: unknown }).socketPath;
    const where = typeof at === 'string' ? at : (process.env.DOCKER_HOST ?? 'DOCKER_HOST');
    const message = `the Docker engine is not reachable at ${where}: start dockerd or set DOCKER_HOST`;
    return new WandolError('DATAPLANE_UNREACHABLE', message, { cause, details });
  }
  const reason = typeof cause === 'string' ? cause : cause instanceof Error ? cause.message : 'unknown error';
  return new WandolError('BUILD_FAILED', `docker build of ${opts.tag} failed: ${reason}; ${hint}`, {
    details,
    ...(cause instanceof Error ? { cause } : {}),
  });
}

/** How the docker build port is made (the agent passes its own pieces). */
export interface DockerBuilderOptions {
  docker: Docker;
  /** DataLayout.releaseDir and buildLog. */
  layout: { releaseDir(app: string, sha: string): string; buildLog(app: string, sha: string): string };
  /** The app's git mirror (GitMirror fits). */
  checkoutFor(app: AppRow): CommitCheckout;
  logger: Logger;
  /** Images of the newest N builds of an app are kept; older `<app>:*` tags are removed (default 5). */
  keepImages?: number;
}

/** What the docker build port yields: a release plus its image (`<app>:<sha7>`) and image id. */
export interface BuiltImageRelease extends BuiltRelease {
  image: string;
  imageId: string;
}

/** A BuildPort whose releases carry their image. */
export interface DockerBuildPort extends BuildPort {
  build(args: { app: AppRow; sha: string; spec: AppSpec; signal: AbortSignal }): Promise<BuiltImageRelease>;
}

/**
 * The build port of the docker runtime: checks the commit out into its release folder (as the
 * process runtime does, with no build command), builds `<app>:<sha7>` from build.dockerfile with
 * the app's folder as context, then prunes older images of the app. A commit whose image still
 * exists is not rebuilt (reused). Throws what prepareRelease and buildImage throw.
 */
export function dockerBuilder(opts: DockerBuilderOptions): DockerBuildPort {
  return {
    async build({ app, sha, spec, signal }) {
      const logger = opts.logger.child({ app: app.name });
      const logFile = opts.layout.buildLog(app.name, sha);
      const release = await prepareRelease({
        mirror: opts.checkoutFor(app),
        sha,
        releaseDir: opts.layout.releaseDir(app.name, sha),
        appPath: app.path,
        logFile,
        timeoutMs: spec.build.timeoutMs,
        signal,
        logger,
        app: app.name,
      });
      const image = `${app.name}:${shortSha(sha)}`;
      const existing = await imageIdOf(opts.docker, image);
      if (existing && release.reused)
        return { ...release, reused: true, buildMs: 0, image, imageId: existing };
      const dockerfile = spec.build.dockerfile ?? 'Dockerfile';
      logger.info('Building image', { image, dockerfile });
      const { imageId, buildMs } = await buildImage({
        docker: opts.docker,
        contextDir: release.workdir,
        dockerfile,
        tag: image,
        logFile,
        memoryBytes: spec.build.memoryBytes,
        timeoutMs: spec.build.timeoutMs,
        labels: { 'wandol.app': app.name, 'wandol.revision': sha },
        signal,
        app: app.name,
      });
      logger.info('Image built', { image, imageId, buildMs });
      const tags = await appTags(opts.docker, app.name);
      const keep = tagsToKeep(tags, image, opts.keepImages ?? 5);
      const pruned = await pruneImages(opts.docker, app.name, keep, tags);
      if (pruned.length > 0) logger.info('Images pruned', { pruned });
      return { dir: release.dir, workdir: release.workdir, reused: false, buildMs, image, imageId };
    },
  };
}

async function imageIdOf(docker: Docker, tag: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(tag).inspect()).Id;
  } catch (err) {
    if ((err as { statusCode?: unknown }).statusCode === 404) return undefined;
    throw err;
  }
}

/** The `<app>:*` tags of the app's images, the most recently created image first. */
async function appTags(docker: Docker, app: string): Promise<string[]> {
  const images = await docker.listImages({ filters: { reference: [`${app}:*`] } });
  return images
    .sort((a, b) => b.Created - a.Created)
    .flatMap((i) => (i.RepoTags ?? []).filter((t) => t.startsWith(`${app}:`)));
}

/**
 * The `count` tags to keep of `tags` (newest first): the image just built, then the newest others.
 * The just-built one is named first because `Created` has a one-second resolution: two images
 * built within the same second tie, and a tie must never cost the new image its place. Pure.
 */
function tagsToKeep(tags: readonly string[], built: string, count: number): string[] {
  return [built, ...tags.filter((t) => t !== built)].slice(0, Math.max(1, count));
}

/**
 * Removes every `<app>:*` tag not in `keepTags` (of `tags` when the caller listed them already)
 * and returns the removed ones. An image a container still uses is left alone (the engine
 * refuses: 409), as is one that vanished meanwhile. Idempotent.
 */
export async function pruneImages(
  docker: Docker,
  app: string,
  keepTags: readonly string[],
  tags?: readonly string[],
): Promise<string[]> {
  const keep = new Set(keepTags);
  const removed: string[] = [];
  for (const tag of tags ?? (await appTags(docker, app))) {
    if (keep.has(tag)) continue;
    try {
      await docker.getImage(tag).remove();
      removed.push(tag);
    } catch (err) {
      const status = (err as { statusCode?: unknown }).statusCode;
      if (status !== 404 && status !== 409) throw err;
    }
  }
  return removed;
}
