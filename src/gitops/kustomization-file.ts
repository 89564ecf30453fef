import { lstat, readFile, realpath, writeFile } from 'node:fs/promises';
import { dirname, join, posix, sep } from 'node:path';
import { WandolError } from '../core/errors.js';
import { setKustomizeImage } from './set-image-tag.js';

/**
 * `./deploy//kustomization.yaml` → `deploy/kustomization.yaml`. Throws INVALID_CONFIG for an
 * absolute path, one leaving the repository, or one with control characters.
 */
export function kustomizationPath(path: string): string {
  const norm = posix.normalize(path.trim().replace(/\\/g, '/')).replace(/^\.\//, '');
  if (
    posix.isAbsolute(norm) ||
    norm === '.' ||
    norm === '..' ||
    norm.startsWith('../') ||
    /\p{Cc}/u.test(norm)
  ) {
    throw new WandolError(
      'INVALID_CONFIG',
      `gitops.kustomization: ${JSON.stringify(path)} is not a file path inside the repository`,
    );
  }
  return norm;
}

/**
 * Sets the image tag in the kustomization file of the checkout at `root` (see setKustomizeImage)
 * and writes it back when it changed. Returns whether it changed. Refuses (INVALID_CONFIG) a
 * missing file, and a file that is a symlink or lies under one leading out of the checkout, since
 * wandol must never write outside the clone it owns.
 */
export async function editKustomization(
  root: string,
  path: string,
  image: string,
  tag: string,
): Promise<boolean> {
  const file = join(root, path);
  const text = await readInside(root, path, file);
  const edit = setKustomizeImage(text, image, tag, path);
  if (edit.changed) await writeFile(file, edit.text);
  return edit.changed;
}

async function readInside(root: string, path: string, file: string): Promise<string> {
  const missing = (): WandolError =>
    new WandolError(
      'INVALID_CONFIG',
      `${path} does not exist on the branch: commit a kustomization there (resources: plus your manifests) or fix gitops.kustomization`,
    );
  const stat = await lstat(file).catch(() => undefined);
  if (stat === undefined) throw missing();
  const realRoot = await realpath(root);
  const realDir = await realpath(dirname(file));
  if (
    stat.isSymbolicLink() ||
    !stat.isFile() ||
    (realDir !== realRoot && !realDir.startsWith(realRoot + sep))
  ) {
    throw new WandolError(
      'INVALID_CONFIG',
      `${path} must be a regular file inside the repository, not a link or folder`,
    );
  }
  return readFile(file, 'utf8');
}
