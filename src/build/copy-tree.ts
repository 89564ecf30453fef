import { spawn } from 'node:child_process';

let reflinkUnsupported = false;

/**
 * Copies `source` (a folder, file or symlink) to `dest`, which must not exist, keeping modes,
 * times and symlinks: `cp -a --reflink=auto`, which shares blocks on copy-on-write filesystems
 * (btrfs, XFS, ZFS) and copies elsewhere. Never hard links: a build may modify the files. Falls
 * back to `cp -a` once for a cp without --reflink (busybox). Throws when cp fails.
 */
export async function copyTree(source: string, dest: string, signal?: AbortSignal): Promise<void> {
  if (!reflinkUnsupported) {
    const first = await cp(['-a', '--reflink=auto', '--', source, dest], signal);
    if (first.code === 0) return;
    if (!/reflink|unrecognized|invalid option|illegal option/i.test(first.stderr)) throw failed(first.stderr);
    reflinkUnsupported = true;
  }
  const again = await cp(['-a', '--', source, dest], signal);
  if (again.code !== 0) throw failed(again.stderr);
}

function cp(args: string[], signal?: AbortSignal): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('cp', args, { stdio: ['ignore', 'ignore', 'pipe'], ...(signal ? { signal } : {}) });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr: stderr.trim() }));
  });
}

function failed(stderr: string): Error {
  return new Error(`cp failed: ${stderr.split('\n').slice(0, 3).join('; ') || 'no message'}`);
}
