import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { LineSplitter } from '../process/line-splitter.js';
import type { InstanceUsage } from '../runtime.js';

/** The fields of one Docker stats sample that a usage is made from. */
export interface StatsSample {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number | undefined> };
}

/**
 * A usage from one stats sample, or undefined for the empty samples Docker sends for a container
 * that is not running. Pure. Memory is what `docker stats` shows: usage less the inactive page cache
 * (cgroup v1 `total_inactive_file`, v2 `inactive_file`).
 */
export function usageOf(sample: StatsSample): InstanceUsage | undefined {
  const cpuNs = sample.cpu_stats?.cpu_usage?.total_usage;
  const memory = sample.memory_stats?.usage;
  if (!cpuNs || memory === undefined) return undefined;
  const stats = sample.memory_stats?.stats ?? {};
  const inactive = stats.total_inactive_file ?? stats.inactive_file ?? 0;
  const read = sample.read ? Date.parse(sample.read) : NaN;
  return {
    cpuSeconds: cpuNs / 1e9,
    memoryBytes: Math.max(0, Math.round(memory - (inactive < memory ? inactive : 0))),
    sampledAt: Number.isFinite(read) && read > 0 ? read : Date.now(),
  };
}

/**
 * Streams a container's stats (Docker sends one sample a second) and hands every usable sample to
 * `onUsage`. Returns a function that stops the stream. Throws what the engine throws when the
 * stream cannot be opened.
 */
export async function sampleStats(
  container: Docker.Container,
  onUsage: (usage: InstanceUsage) => void,
): Promise<() => void> {
  const stream = (await container.stats({ stream: true })) as Readable;
  const splitter = new LineSplitter((line) => {
    if (line.trim() === '') return;
    try {
      const usage = usageOf(JSON.parse(line) as StatsSample);
      if (usage) onUsage(usage);
    } catch {
      // a sample cut by a closing stream: the next one will do
    }
  });
  stream.on('data', (chunk: Buffer) => splitter.push(chunk));
  stream.on('error', () => undefined);
  return () => stream.destroy();
}
