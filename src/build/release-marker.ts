import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The file whose presence makes a release folder complete; written last. */
export const RELEASE_MARKER = '.wandol-release.json';

/** What the marker records about a finished release folder. */
export interface ReleaseMarker {
  sha: string;
  /** ISO 8601. */
  builtAt: string;
  buildMs: number;
  /** The build command that ran, or null when the app has none. */
  command: string | null;
}

/** The marker of `releaseDir` when it is complete and for commit `sha`; undefined otherwise. Never throws. */
export async function readReleaseMarker(releaseDir: string, sha: string): Promise<ReleaseMarker | undefined> {
  try {
    const data = JSON.parse(
      await readFile(join(releaseDir, RELEASE_MARKER), 'utf8'),
    ) as Partial<ReleaseMarker>;
    if (data.sha !== sha || typeof data.buildMs !== 'number' || typeof data.builtAt !== 'string')
      return undefined;
    return { sha, builtAt: data.builtAt, buildMs: data.buildMs, command: data.command ?? null };
  } catch {
    return undefined;
  }
}

/** Writes the marker atomically (temporary file + rename), so a crash never leaves half of one. */
export async function writeReleaseMarker(releaseDir: string, marker: ReleaseMarker): Promise<void> {
  const file = join(releaseDir, RELEASE_MARKER);
  await writeFile(`${file}.tmp`, JSON.stringify(marker, null, 2) + '\n');
  await rename(`${file}.tmp`, file);
}
