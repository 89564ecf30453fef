import { posix } from 'node:path';
import { WandolError } from '../core/errors.js';

/**
 * Normalises the app's folder inside its repository (`.`, `./api/`, `services//api`) to `.` or
 * `a/b`. Pure. Throws USAGE for an absolute path or one that leaves the repository (`..`).
 */
export function normaliseAppPath(appPath: string): string {
  const norm = posix.normalize(appPath.trim() === '' ? '.' : appPath.trim()).replace(/\/+$/, '');
  if (posix.isAbsolute(appPath.trim()) || norm === '..' || norm.startsWith('../') || appPath.includes('\0')) {
    throw new WandolError(
      'USAGE',
      `app path ${JSON.stringify(appPath)} must be a folder inside the repository, relative to its root (like "." or "services/api")`,
    );
  }
  return norm === '' ? '.' : norm;
}

/** The repository path of a file in the app's folder: `wandol.yaml` or `services/api/wandol.yaml`. Pure; throws like normaliseAppPath. */
export function appFilePath(appPath: string, file: string): string {
  const dir = normaliseAppPath(appPath);
  return dir === '.' ? file : `${dir}/${file}`;
}
