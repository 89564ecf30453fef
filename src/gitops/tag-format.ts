import { WandolError } from '../core/errors.js';

/** How wandol names the image of a commit: short sha, full sha, or Flux's sortable form. */
export type ImageTagFormat = 'sha7' | 'sha' | 'branch-sha7-time';

/** What a tag is made of: the commit, its branch and a time (the build's, or the commit's). */
export interface TagInputs {
  /** Full commit sha (40 or 64 hex digits; 7 or more are accepted). */
  sha: string;
  branch: string;
  time: Date;
}

/** The OCI/Docker rule for a tag: 1–128 characters, not starting with `.` or `-`. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const MAX_TAG = 128;
const SHA = /^[0-9a-f]{7,64}$/;

/**
 * The image tag of a commit: `sha7` → the first 7 hex digits, `sha` → the full sha,
 * `branch-sha7-time` → `<branch>-<sha7>-<unix seconds>` (the form Flux's image automation
 * recommends, ordered numerically by its last part), the branch lower-cased and reduced to
 * `[a-z0-9._-]` and shortened so the tag fits 128 characters. Pure; always returns a tag matching
 * IMAGE_TAG. Throws INTERNAL for a sha that is not hex or a time that is not a valid date.
 */
export function imageTag(format: ImageTagFormat, { sha, branch, time }: TagInputs): string {
  const hex = sha.trim().toLowerCase();
  if (!SHA.test(hex))
    throw new WandolError('INTERNAL', `imageTag: ${JSON.stringify(sha)} is not a commit sha`);
  switch (format) {
    case 'sha7':
      return hex.slice(0, 7);
    case 'sha':
      return hex;
    case 'branch-sha7-time':
      return sortableTag(branch, hex.slice(0, 7), unixSeconds(time));
  }
}

/** `<branch>-<sha7>-<seconds>` with the branch cut to leave room for the rest. */
function sortableTag(branch: string, sha7: string, seconds: number): string {
  const suffix = `-${sha7}-${seconds}`;
  const name = sanitiseBranch(branch)
    .slice(0, MAX_TAG - suffix.length)
    .replace(/[.-]+$/, '');
  return `${name || 'branch'}${suffix}`;
}

/**
 * A branch name as tag text: lower case, every run of other characters (`/`, spaces, `+`…) as one
 * `-`, no leading `.`/`-` (a tag must start with a letter, digit or `_`). May be empty.
 */
export function sanitiseBranch(branch: string): string {
  return branch
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '');
}

function unixSeconds(time: Date): number {
  const ms = time.getTime();
  if (!Number.isFinite(ms)) throw new WandolError('INTERNAL', 'imageTag: the time is not a valid date');
  return Math.floor(ms / 1000);
}
