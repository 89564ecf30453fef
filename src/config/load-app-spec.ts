import { WandolError } from '../core/errors.js';
import { shortSha } from '../core/names.js';
import type { AppSpec } from './app-spec.js';
import { appFilePath } from './app-path.js';
import { parseAppSpec } from './parse-app-spec.js';

/** Reads a file of a commit; undefined when the commit has no such file (GitMirror fits). */
export interface CommitFileReader {
  readFile(sha: string, path: string): Promise<string | undefined>;
}

/** The app spec of one commit and the repository path it was read from. */
export interface LoadedAppSpec {
  spec: AppSpec;
  /** Repository path of the file, e.g. `services/api/wandol.yaml`. */
  file: string;
  /** The file's text as committed (for the release record). */
  text: string;
}

/**
 * Reads and parses `<appPath>/wandol.yaml` at commit `sha`. Throws INVALID_CONFIG when the file is
 * missing or invalid (details name the file by its repository path), USAGE for a bad appPath, and
 * whatever `reader` throws (REVISION_NOT_FOUND for an unknown commit).
 */
export async function loadAppSpec(
  reader: CommitFileReader,
  sha: string,
  appPath = '.',
): Promise<LoadedAppSpec> {
  const file = appFilePath(appPath, 'wandol.yaml');
  const text = await reader.readFile(sha, file);
  if (text === undefined) {
    throw new WandolError(
      'INVALID_CONFIG',
      `no wandol.yaml at ${file} in commit ${shortSha(sha)}: add one (see README)`,
      {
        details: [`${file}: missing in commit ${shortSha(sha)}`],
      },
    );
  }
  return { spec: parseAppSpec(text, file), file, text };
}
