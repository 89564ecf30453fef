import { readdirSync } from 'node:fs';
import { readProcStat, type Usage } from '../../platform/proc-stats.js';
import type { InstanceUsage } from '../runtime.js';

/**
 * Summed resident memory and CPU time of each process group in `pgids`, from ONE scan of /proc
 * (each process's stat read once and added to its group), however many groups are asked: the
 * supervisor samples every instance with one call. CPU counts exited children once their parent
 * reaped them (cutime/cstime); zombies are left out. Groups without a live process are absent from
 * the answer. Never throws: an empty map off Linux or when /proc cannot be read.
 */
export function sampleGroups(pgids: ReadonlySet<number>): Map<number, Usage> {
  const totals = new Map<number, Usage>();
  if (pgids.size === 0) return totals;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return totals;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readProcStat(pid);
    if (!stat || stat.state === 'Z' || !pgids.has(stat.pgrp)) continue;
    const total = totals.get(stat.pgrp) ?? { rssBytes: 0, cpuSeconds: 0 };
    total.rssBytes += stat.rssBytes;
    total.cpuSeconds += stat.cpuSeconds;
    totals.set(stat.pgrp, total);
  }
  return totals;
}

/**
 * The instance usage after `sample`, taken at `now`. CPU never goes backwards: a process that
 * exited but is not reaped yet (or was reparented outside the group) drops out of the sum for a
 * while, so the previous figure is kept instead. Pure.
 */
export function nextUsage(previous: InstanceUsage | undefined, sample: Usage, now: number): InstanceUsage {
  const cpuSeconds = Math.round(sample.cpuSeconds * 100) / 100;
  return {
    cpuSeconds: Math.max(previous?.cpuSeconds ?? 0, cpuSeconds),
    memoryBytes: sample.rssBytes,
    sampledAt: now,
  };
}
