import type { Logger } from '../../core/logger.js';
import type { Instance, InstanceSpec } from '../runtime.js';
import { nextUsage, sampleGroups } from './group-usage.js';
import { memoryLimitOf } from './memory-limit.js';
import { Ticker } from './ticker.js';

/** How often every running instance is sampled. */
export const DEFAULT_SAMPLE_INTERVAL_MS = 1_000;

/** What the watch needs of a supervised instance: its spec, its live record and its group leader. */
export interface Watched {
  spec: InstanceSpec;
  instance: Instance;
  spawned: { pid: number };
}

/** Settings of a ResourceWatch. */
export interface ResourceWatchOptions<T extends Watched> {
  /** The instances to sample now (the running ones); asked on every tick. */
  running: () => T[];
  /** Called when a sample shows `used` bytes above the instance's `resources.memory` of `limit`. */
  onOverLimit: (watched: T, usedBytes: number, limitBytes: number) => void;
  logger: Logger;
  intervalMs?: number;
}

/**
 * Samples the process group of every running instance on one timer, with one /proc scan per tick
 * (not one per instance), stores the sample as `instance.usage` and reports groups whose resident
 * memory is above their limit. Ticks only while something runs: `wake` after a start; the watch
 * stops itself once nothing runs. Never throws.
 *
 * RSS is summed per process: pages shared between processes of a group (a forking server's
 * workers) count once per process, so the figure errs high, never low.
 */
export class ResourceWatch<T extends Watched> {
  private readonly ticker: Ticker;

  constructor(private readonly opts: ResourceWatchOptions<T>) {
    this.ticker = new Ticker(
      opts.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS,
      () => this.sample(),
      (err) => opts.logger.error('UsageSampleFailed', { err }),
    );
  }

  /** Makes sure sampling runs (call it after an instance started). Idempotent. */
  wake(): void {
    this.ticker.start();
  }

  /** Stops sampling until the next wake. Idempotent. */
  stop(): void {
    this.ticker.stop();
  }

  /** One tick: samples every running instance, then enforces memory limits. */
  sample(): void {
    const running = this.opts.running();
    if (running.length === 0) return this.stop();
    const samples = sampleGroups(new Set(running.map((w) => w.spawned.pid)));
    const now = Date.now();
    for (const watched of running) {
      const sample = samples.get(watched.spawned.pid);
      if (!sample) continue;
      watched.instance.usage = nextUsage(watched.instance.usage, sample, now);
      const limit = memoryLimitOf(watched.spec);
      if (limit !== undefined && sample.rssBytes > limit) {
        this.opts.onOverLimit(watched, sample.rssBytes, limit);
      }
    }
  }
}
