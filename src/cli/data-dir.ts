import { resolve } from 'node:path';
import { WandolError } from '../core/errors.js';

/** The data dir's name under the working directory when neither --data nor WANDOL_DATA is given. */
export const DEFAULT_DATA_DIR_NAME = '.wandol';

/**
 * Where the data lives: `--data` beats `WANDOL_DATA`, which beats `<cwd>/.wandol`; always made
 * absolute against `cwd`. Throws USAGE for an empty `--data`. Pure.
 */
export function resolveDataDir(opts: {
  flag?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
}): string {
  if (opts.flag !== undefined) {
    if (opts.flag.trim() === '') throw new WandolError('USAGE', '--data needs a directory');
    return resolve(opts.cwd, opts.flag);
  }
  const fromEnv = opts.env.WANDOL_DATA;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return resolve(opts.cwd, fromEnv);
  return resolve(opts.cwd, DEFAULT_DATA_DIR_NAME);
}
