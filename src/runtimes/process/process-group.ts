import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { sleep } from '../../core/clock.js';

/** Sends `signal` to the process group `pgid`. Returns false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/**
 * True while a live process of the group `pgid` exists. Zombies do not count: once reparented,
 * they wait for init to reap them, which some inits do late or never.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    // EPERM: it exists but is not ours to signal; it still counts as alive.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!procAvailable()) return true;
  return groupMembers(pgid).some(isLive);
}

/** Not a zombie; or a zombie leader whose other threads are still exiting (they hold its files). */
function isLive(pid: number): boolean {
  if (procState(pid) !== 'Z') return true;
  try {
    return readdirSync(`/proc/${pid}/task`).length > 1;
  } catch {
    return false;
  }
}

/** Polls until the group `pgid` is gone or `timeoutMs` passed; resolves true when it is gone. */
export async function waitGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
  }
  return true;
}

/**
 * The pids of the processes in group `pgid`, read from /proc (Linux). Empty when /proc is not there.
 * Never throws: processes vanish while we read.
 */
export function groupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    if (processGroupOf(Number(entry)) === pgid) members.push(Number(entry));
  }
  return members;
}

/** The process group of `pid` from /proc/<pid>/stat, or undefined when it cannot be read. */
export function processGroupOf(pid: number): number | undefined {
  const pgrp = Number(statFields(pid)?.[2]);
  return Number.isInteger(pgrp) ? pgrp : undefined;
}

/** The state letter of `pid` (R, S, D, Z…) from /proc/<pid>/stat, or undefined. */
function procState(pid: number): string | undefined {
  return statFields(pid)?.[0];
}

/** The fields of /proc/<pid>/stat after the command name: state, ppid, pgrp… */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function procAvailable(): boolean {
  return existsSync('/proc/self/stat');
}

/** True when /proc/<pid>/environ holds exactly the entry `entry` (`KEY=value`). Never throws. */
export function environHas(pid: number, entry: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry);
  } catch {
    return false;
  }
}
