import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder and a function that removes it (call it in `after`). */
export function tempDir(prefix = 'wandol-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  // WANDOL_KEEP_TEST_DIRS=1 keeps the folders (agent logs, data dirs) to look into a failure.
  const keep = process.env.WANDOL_KEEP_TEST_DIRS === '1';
  return { path, cleanup: () => (keep ? undefined : rmSync(path, { recursive: true, force: true })) };
}
