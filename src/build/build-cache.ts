import { createHash, randomBytes } from 'node:crypto';
import {
  lstat,
  mkdir,
  readFile,
  readdir,
  realpath,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';
import type { BuildCacheSpec } from '../config/app-spec.js';
import { WandolError } from '../core/errors.js';
import { copyTree } from './copy-tree.js';

/** How many keys of one cache entry are kept (the newest by last use). */
export const KEPT_KEYS = 3;
/** A temporary save older than this was left by a crash and is removed. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const META = 'meta.json';

/** The cache of one `build.cache` entry of one app: `<cacheDir>/<sha256 of its paths>/<key>/`. */
export class BuildCacheEntry {
  /** `<cacheDir>/<sha256 of the paths list>`: the same folders share a cache across key changes. */
  readonly dir: string;

  constructor(
    cacheDir: string,
    readonly spec: BuildCacheSpec,
  ) {
    this.dir = join(cacheDir, sha256(JSON.stringify(spec.paths)).slice(0, 16));
  }

  /**
   * `sha256:<hex>` over the entry's command and the content of its key files in `workdir`, in order
   * (a missing one counts as "missing"). Throws INVALID_CONFIG when a key names a folder.
   */
  async key(workdir: string): Promise<string> {
    const hash = createHash('sha256').update(`wandol-build-cache-v1\0${this.spec.command ?? ''}\0`);
    for (const file of this.spec.key) {
      hash.update(`${file}\0`);
      hash.update(await contentHash(join(workdir, file), file));
      hash.update('\0');
    }
    return `sha256:${hash.digest('hex')}`;
  }

  /** True when a complete save of `key` exists. Never throws. */
  async has(key: string): Promise<boolean> {
    return (await stat(join(this.keyDir(key), META)).catch(() => undefined))?.isFile() ?? false;
  }

  /**
   * Replaces the entry's folders in `workdir` with the saved copies of `key` (a folder absent when
   * saved stays absent) and marks the key as just used. Throws when a copy fails.
   */
  async restore(key: string, workdir: string, signal?: AbortSignal): Promise<void> {
    for (const path of this.spec.paths) {
      const target = await targetIn(workdir, path);
      await rm(target, { recursive: true, force: true });
      const saved = join(this.keyDir(key), 'data', path);
      if (!(await exists(saved))) continue;
      await mkdir(dirname(target), { recursive: true });
      await copyTree(saved, target, signal);
    }
    const now = new Date();
    await utimes(join(this.keyDir(key), META), now, now);
  }

  /** Removes the entry's folders from `workdir` (after a failed restore). */
  async clear(workdir: string): Promise<void> {
    for (const path of this.spec.paths)
      await rm(await targetIn(workdir, path), { recursive: true, force: true });
  }

  /**
   * Saves the entry's folders of `workdir` under `key`: copied into a temporary folder first, then
   * renamed into place, so that a half-made save is never used. Keeps the KEPT_KEYS newest keys.
   * Throws when a copy fails (nothing is kept then).
   */
  async save(key: string, workdir: string, signal?: AbortSignal): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.tmp-${randomBytes(6).toString('hex')}`);
    try {
      for (const path of this.spec.paths) {
        const source = await targetIn(workdir, path);
        if (!(await exists(source))) continue;
        await mkdir(dirname(join(temp, 'data', path)), { recursive: true });
        await copyTree(source, join(temp, 'data', path), signal);
      }
      const meta = {
        key,
        paths: this.spec.paths,
        keyFiles: this.spec.key,
        savedAt: new Date().toISOString(),
      };
      await writeFile(join(temp, META), JSON.stringify(meta, null, 2) + '\n');
      await rename(temp, this.keyDir(key)).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err; // else: saved meanwhile
      });
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
    await this.prune();
  }

  /** Removes all but the KEPT_KEYS most recently used keys, and temporary saves left by a crash. */
  async prune(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const mtime = async (path: string): Promise<number> =>
      (await stat(path).catch(() => undefined))?.mtimeMs ?? 0;
    const keys: { name: string; used: number }[] = [];
    const doomed: string[] = [];
    for (const name of names) {
      if (!name.startsWith('.tmp-')) keys.push({ name, used: await mtime(join(this.dir, name, META)) });
      else if (Date.now() - (await mtime(join(this.dir, name))) > STALE_TEMP_MS) doomed.push(name);
    }
    keys.sort((a, b) => b.used - a.used);
    doomed.push(...keys.slice(KEPT_KEYS).map((k) => k.name));
    for (const name of doomed) await rm(join(this.dir, name), { recursive: true, force: true });
  }

  private keyDir(key: string): string {
    return join(this.dir, key.replace(/^sha256:/, ''));
  }
}

/** `sha256:0123456789ab`: a key as logs show it. */
export function shortKey(key: string): string {
  return key.slice(0, 'sha256:'.length + 12);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

async function contentHash(file: string, name: string): Promise<string> {
  try {
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    if (code === 'EISDIR')
      throw new WandolError(
        'INVALID_CONFIG',
        `build.cache key ${JSON.stringify(name)} is a folder; list files whose content keys the cache, like package-lock.json`,
      );
    throw err;
  }
}

/**
 * `<workdir>/<path>`, refusing one whose parent folder resolves outside `workdir` (a symlink in the
 * repository must not make the cache write elsewhere). Throws INVALID_CONFIG.
 */
async function targetIn(workdir: string, path: string): Promise<string> {
  const target = join(workdir, path);
  const root = await realpath(workdir);
  let parent = dirname(target);
  while (!(await exists(parent))) parent = dirname(parent);
  const rel = relative(root, await realpath(parent).catch(() => '/'));
  if (rel === '..' || rel.startsWith('../') || isAbsolute(rel))
    throw new WandolError(
      'INVALID_CONFIG',
      `build.cache path ${JSON.stringify(path)} leads outside the app folder (through a symlink); fix wandol.yaml or the repository`,
    );
  return target;
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}
