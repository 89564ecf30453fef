import { open } from 'node:fs/promises';

const MAX_BYTES = 64 * 1024;

/**
 * The last `lines` non-empty lines of `file` written after byte `from` (only the end of a big log
 * is read). Missing file → []. Never throws for a missing file.
 */
export async function readLogTail(file: string, from = 0, lines = 20): Promise<string[]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(from, size - MAX_BYTES);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    await handle.read(buffer, 0, buffer.length, start);
    const text = buffer.toString('utf8');
    return text
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => l.trim() !== '')
      .slice(-lines);
  } finally {
    await handle.close();
  }
}
