import { open } from 'node:fs/promises';

/**
 * The last `lines` lines of `file` that contain `needle` (searching the last 256 KiB). Missing file:
 * an empty list. Used to show why an instance crashed.
 */
export async function tailLines(file: string, needle: string, lines = 10): Promise<string[]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line.includes(needle))
      .slice(-lines);
  } finally {
    await handle.close();
  }
}
