import { renameSync, unlinkSync } from 'node:fs';
import { rotatedPath } from '../../platform/log-tail.js';

/** When an app log is rotated and how many rotated files are kept. */
export interface LogRotation {
  /** The log is rotated before a write would take it past this size (a single longer line still goes whole). */
  maxBytes: number;
  /** Rotated files kept beside the live one (`app.log.1` newest … `app.log.<keep>` oldest); 0 keeps none. */
  keep: number;
}

/** 10 MiB per file, 5 rotated files: at most 60 MiB per app. */
export const DEFAULT_LOG_ROTATION: LogRotation = { maxBytes: 10 * 1024 * 1024, keep: 5 };

// The naming of rotated files is the readers' too (platform/log-tail.ts).
export { rotatedPath };

/**
 * Shifts `file.<keep-1>` → `file.<keep>` … `file` → `file.1`, the oldest dropped; with keep 0,
 * `file` is deleted. A writer holding `file` open keeps writing into what is now `file.1` until
 * it reopens `file`. Missing files are skipped. Sync; throws the first other fs error.
 */
export function rotateFiles(file: string, keep: number): void {
  if (keep <= 0) return ignoreMissing(() => unlinkSync(file));
  ignoreMissing(() => unlinkSync(rotatedPath(file, keep)));
  for (let n = keep - 1; n >= 1; n--)
    ignoreMissing(() => renameSync(rotatedPath(file, n), rotatedPath(file, n + 1)));
  ignoreMissing(() => renameSync(file, rotatedPath(file, 1)));
}

function ignoreMissing(step: () => void): void {
  try {
    step();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
