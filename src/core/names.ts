import { WandolError } from './errors.js';

const APP_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks an app name: 1–63 characters of `[a-z0-9-]`, starting and ending with a letter or digit
 * (a DNS label, as Kubernetes requires). Returns it unchanged; throws INVALID_NAME otherwise.
 */
export function assertAppName(name: string): string {
  if (!APP_NAME.test(name)) {
    throw new WandolError(
      'INVALID_NAME',
      `invalid app name ${JSON.stringify(name)}: use 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit`,
    );
  }
  return name;
}

/** True when `name` is a valid app name (see assertAppName). */
export function isAppName(name: string): boolean {
  return APP_NAME.test(name);
}

/** The short form of a commit sha, as used in image tags and folder names. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
