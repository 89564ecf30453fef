import { readdirSync, readFileSync } from 'node:fs';

/** Linux's clock ticks per second for /proc times (USER_HZ is 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

/** Resource use of one process or a whole process group. */
export interface Usage {
  /** Resident memory, bytes. */
  rssBytes: number;
  /** User + system CPU time consumed so far, seconds (of exited children too, once reaped). */
  cpuSeconds: number;
}

interface ProcStat extends Usage {
  pid: number;
  pgrp: number;
  state: string;
}

/** Parses /proc/<pid>/stat; undefined when the process is gone. Never throws. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are read after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const num = (i: number): number => Number(fields[i - 3] ?? 0);
  return {
    pid,
    state: fields[0] ?? '?',
    pgrp: num(5),
    cpuSeconds: (num(14) + num(15) + num(16) + num(17)) / TICKS_PER_SECOND,
    rssBytes: num(24) * PAGE_BYTES,
  };
}

/** Pids of the live (non-zombie) processes of a process group. Never throws; [] off Linux. */
export function groupPids(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readProcStat(pid);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') pids.push(pid);
  }
  return pids;
}

/** Summed resident memory and CPU time of a process group's live processes. */
export function groupUsage(pgid: number): Usage {
  let rssBytes = 0;
  let cpuSeconds = 0;
  for (const pid of groupPids(pgid)) {
    const stat = readProcStat(pid);
    if (!stat) continue;
    rssBytes += stat.rssBytes;
    cpuSeconds += stat.cpuSeconds;
  }
  return { rssBytes, cpuSeconds };
}
