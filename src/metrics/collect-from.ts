import type { AppMetricsState } from './metrics-source.js';

/** A prom-client metric whose series are rebuilt at every scrape. */
interface Resettable {
  reset(): void;
}

/**
 * A prom-client `collect` callback that reads the apps at scrape time, then clears the metric and
 * lets `fill` set every series afresh: an app or instance that is gone loses its series at once.
 * The snapshot is awaited before the reset, so a failed read leaves the metric as it was (and fails
 * the scrape).
 */
export function collectFrom<M extends Resettable>(
  snapshot: () => Promise<AppMetricsState[]>,
  fill: (metric: M, apps: AppMetricsState[]) => void,
): (this: M) => Promise<void> {
  return async function (this: M): Promise<void> {
    const apps = await snapshot();
    this.reset();
    fill(this, apps);
  };
}

/** `n` when it can be exposed (a finite number), else undefined: the series is left out. Pure. */
export function finite(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/** `n` as a counter increment: finite and not negative, else undefined. Pure. */
export function increment(n: number | undefined): number | undefined {
  const v = finite(n);
  return v !== undefined && v >= 0 ? v : undefined;
}
