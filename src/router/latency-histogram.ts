/** Upper bounds (ms) of the router's latency buckets; a last +Inf bucket follows them. */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000,
];

/** A zeroed histogram: one count per bucket plus +Inf. */
export function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
}

/** Adds one observation of `ms` to `counts` (mutates, O(buckets)). */
export function observe(counts: number[], ms: number): void {
  let i = 0;
  while (i < LATENCY_BUCKETS_MS.length && ms > (LATENCY_BUCKETS_MS[i] ?? Infinity)) i++;
  counts[i] = (counts[i] ?? 0) + 1;
}

/** `later - earlier`, bucket by bucket: the histogram of a window. Pure. */
export function subtract(later: readonly number[], earlier: readonly number[]): number[] {
  return later.map((count, i) => Math.max(0, count - (earlier[i] ?? 0)));
}

/**
 * The q-quantile (0–1) in ms, as the upper bound of the bucket that holds it (a conservative
 * figure); null when the histogram is empty. The +Inf bucket reports the largest finite bound.
 */
export function quantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank)
      return LATENCY_BUCKETS_MS[i] ?? LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1] ?? null;
  }
  return null;
}
