import { hasCode } from '../core/errors.js';

/** Success. */
export const EXIT_OK = 0;
/** A failure: the agent refused, a deploy failed or rolled back, nothing answered… */
export const EXIT_FAILURE = 1;
/** A usage error: unknown command or flag, missing argument, bad flag value or app name. */
export const EXIT_USAGE = 2;

/** The one mapping from an error to the process exit status. Pure. */
export function exitCodeFor(err: unknown): number {
  return hasCode(err, 'USAGE') || hasCode(err, 'INVALID_NAME') ? EXIT_USAGE : EXIT_FAILURE;
}
