import { WandolError } from '../core/errors.js';
import { kustomizationPath } from './kustomization-file.js';
import { IMAGE_TAG } from './tag-format.js';
import { assertBranchName } from './work-clone.js';

/** The write-back inputs that reach git and the YAML edit. */
export interface WriteBackInputs {
  branch: string;
  kustomization: string;
  image: string;
  tag: string;
  maxAttempts?: number;
}

/**
 * Validates a write-back's inputs before anything runs; returns the normalised kustomization path.
 * Throws USAGE (bad tag, branch or maxAttempts) or INVALID_CONFIG (bad image or path).
 */
export async function checkInputs(opts: WriteBackInputs): Promise<string> {
  if (!IMAGE_TAG.test(opts.tag)) {
    throw new WandolError(
      'USAGE',
      `${JSON.stringify(opts.tag)} is not a valid image tag (letters, digits, _ . -; at most 128)`,
    );
  }
  if (opts.image.trim() === '' || /\s/.test(opts.image)) {
    throw new WandolError(
      'INVALID_CONFIG',
      `gitops.image: ${JSON.stringify(opts.image)} is not an image name`,
    );
  }
  const attempts = opts.maxAttempts;
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1)) {
    throw new WandolError('USAGE', `maxAttempts must be a whole number of at least 1, not ${attempts}`);
  }
  await assertBranchName(opts.branch);
  return kustomizationPath(opts.kustomization);
}
