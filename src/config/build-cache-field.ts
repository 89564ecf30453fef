import type { BuildCacheSpec } from './app-spec.js';
import { command, relativePath } from './fields.js';
import { describeValue } from './problem.js';
import { parseMemoryBytes } from './quantities.js';
import { leaf, list, requiredLeaf, strict, type LeafParser } from './schema-kit.js';

const PATHS_TEXT = 'a list of relative paths inside the app folder, like';

/** A non-empty list of relative paths inside the app folder (a single path is taken as a list of one). */
const pathList: LeafParser<string[]> = (value) => {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || items.length === 0) return undefined;
  const paths = items.map(relativePath);
  return paths.every((p) => p !== undefined) ? [...new Set(paths)] : undefined;
};

const entry = strict({
  key: requiredLeaf(`${PATHS_TEXT} [package-lock.json]`, pathList),
  paths: requiredLeaf(`${PATHS_TEXT} [node_modules]`, pathList),
  command: command(),
});

/**
 * `build.cache`: folders restored before the build and saved after it, keyed by the content of key
 * files; `command` runs only on a miss. A folder may be cached once only, and no cached folder may
 * hold another (their copies would overwrite each other). Absent → [].
 */
export const buildCacheField = () =>
  list(entry)
    .default([])
    .transform((entries, ctx): BuildCacheSpec[] => {
      const owner = new Map<string, number>();
      entries.forEach((e, i) =>
        e.paths.forEach((path, j) => {
          const clash = [...owner.keys()].find((p) => p === path || inside(p, path) || inside(path, p));
          if (clash === undefined) return void owner.set(path, i);
          const message = `${describeValue(path)} overlaps ${describeValue(clash)} of build.cache[${owner.get(clash)}]; cache each folder once`;
          ctx.issues.push({ code: 'custom', message, path: [i, 'paths', j], input: path });
        }),
      );
      return entries.map((e) => ({
        key: e.key,
        paths: e.paths,
        ...(e.command ? { command: e.command } : {}),
      }));
    });

/** `build.memory`: the most memory the build's processes may use together, in bytes; default 1Gi. */
export const buildMemoryField = () =>
  leaf('a memory size like "512Mi", "1Gi", "2G" or a number of bytes', parseMemoryBytes, 2 ** 30);

/** True when `child` is strictly inside folder `parent` (both normalised relative paths). */
function inside(parent: string, child: string): boolean {
  return child.startsWith(`${parent}/`);
}
