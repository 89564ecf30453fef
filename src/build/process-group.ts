import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, readdir } from 'node:fs/promises';

/** How a child process ended. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves when `child` exits (rejects when it could not start). */
export async function waitForExit(child: ChildProcess): Promise<ExitStatus> {
  if (child.exitCode !== null || child.signalCode !== null)
    return { code: child.exitCode, signal: child.signalCode };
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal };
}

/**
 * True while a live (non-zombie) process of group `pgid` exists. Zombies are ignored because they
 * linger until an init reaps them (never, when the agent itself is PID 1 in a container).
 */
export async function groupAlive(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return hasLiveMember(pgid);
}

/** Scans /proc for a member of the group that is not a zombie; true when /proc cannot be read. */
async function hasLiveMember(pgid: number): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return true;
  }
  for (const entry of entries.filter((e) => /^\d+$/.test(e))) {
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after "(comm)": state, ppid, pgrp, ...
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state !== undefined && state !== 'Z' && Number(pgrp) === pgid) return true;
  }
  return false;
}

/**
 * Stops a whole process group: SIGTERM, then SIGKILL if anything is left after `graceMs`. Resolves
 * once the group is gone (or SIGKILL was sent). Never throws.
 */
export async function terminateGroup(pgid: number, graceMs = 5_000, pollMs = 50): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while ((await groupAlive(pgid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, pollMs));
  if (await groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
}

/** Sends `signal` to every process of the group; one already gone is no error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}
