import type Docker from 'dockerode';
import type { Logger } from '../../core/logger.js';
import type { LogSinks } from '../process/log-sinks.js';
import type { InstanceUsage } from '../runtime.js';
import { followLogs, logResumePoint } from './container-logs.js';
import { sampleStats } from './container-stats.js';

/** How long `stop` waits for a stopped container's last output lines before removing it. */
const DRAIN_MS = 2000;

interface Watch {
  /** Resolves once output ended and the stats stream is closed. */
  done: Promise<void>;
  stop(): void;
}

/** What to watch: a container, its instance id, its app log, and whether it runs (stats). */
export interface WatchTarget {
  container: Docker.Container;
  id: string;
  logFile: string | undefined;
  running: boolean;
  /** True for a container this agent did not start (adopted): resume its log where it left off. */
  adopted: boolean;
}

/**
 * Follows each container's output into its app log and samples its resource usage, at most once
 * per instance id for the life of this object. Failures are logged, never thrown: an instance
 * without a log follower still serves.
 */
export class ContainerWatches {
  private readonly watches = new Map<string, Watch>();
  private readonly usages = new Map<string, InstanceUsage>();
  /** Ids already followed once (an exited container's remaining output is caught up only once). */
  private readonly seen = new Set<string>();

  constructor(
    private readonly docker: Docker,
    private readonly sinks: LogSinks,
    private readonly logger: Logger,
    private readonly sampleUsage: boolean,
  ) {}

  /** The latest usage sample of an instance (kept after it exits, until `forget`). */
  usage(id: string): InstanceUsage | undefined {
    return this.usages.get(id);
  }

  /** Starts following `target` unless it already was. Never throws. */
  watch(target: WatchTarget): void {
    if (this.seen.has(target.id)) return;
    this.seen.add(target.id);
    let stopped = false;
    let stopNow: () => void = () => (stopped = true);
    const done = this.run(target, (stop) => {
      if (stopped) stop();
      stopNow = stop;
    }).catch((err: unknown) => this.logger.warn('ContainerWatchFailed', { instance: target.id, err }));
    this.watches.set(target.id, { done, stop: () => stopNow() });
    void done.then(() => this.watches.delete(target.id));
  }

  /** Waits (at most 2 s) for the output of an instance being stopped to be written. */
  async drained(id: string): Promise<void> {
    const watch = this.watches.get(id);
    if (!watch) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS)));
    await Promise.race([watch.done, timeout]);
    clearTimeout(timer);
  }

  /** Forgets an instance that is gone: its usage and the fact it was followed. */
  forget(id: string): void {
    this.watches.get(id)?.stop();
    this.usages.delete(id);
    this.seen.delete(id);
  }

  /** Stops every follower and resolves once their last lines are written. */
  async close(): Promise<void> {
    const all = [...this.watches.values()];
    for (const watch of all) watch.stop();
    await Promise.all(all.map((w) => w.done));
  }

  private async run(target: WatchTarget, onStop: (stop: () => void) => void): Promise<void> {
    const { container, id, logFile } = target;
    if (logFile === undefined) return; // not started by wandol's docker runtime: nothing to follow
    const stopStats =
      target.running && this.sampleUsage
        ? await sampleStats(container, (usage) => this.usages.set(id, usage)).catch(() => undefined)
        : undefined;
    const sink = this.sinks.acquire(logFile);
    try {
      const resume = target.adopted ? await logResumePoint(logFile, id) : undefined;
      const follower = await followLogs(this.docker, container, id, sink, resume);
      onStop(() => follower.stop());
      await follower.done;
    } finally {
      stopStats?.();
      sink.release();
    }
  }
}
