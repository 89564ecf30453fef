import { DOWN_RETRY_MS, type Target } from './target.js';

/**
 * Picks a target among `active`: usable ones (up, or down long enough to be tried again) before
 * unusable ones, then the fewest outstanding requests; ties go to the first in the order rotated by
 * `cursor` (round-robin). Targets in `exclude` are skipped. A down target that is picked is given a new
 * retry time, so only one request at a time probes it. Returns undefined when nothing is left.
 */
export function pickTarget(
  active: readonly Target[],
  cursor: number,
  exclude?: ReadonlySet<Target>,
): Target | undefined {
  const n = active.length;
  if (n === 1 && exclude === undefined) return probe(active[0]);
  let best: Target | undefined;
  let bestUsable = false;
  for (let i = 0; i < n; i++) {
    const t = active[(cursor + i) % n];
    if (t === undefined || exclude?.has(t)) continue;
    const usable = t.usable();
    if (
      best === undefined ||
      (usable && !bestUsable) ||
      (usable === bestUsable && t.inFlight < best.inFlight)
    ) {
      best = t;
      bestUsable = usable;
    }
  }
  return probe(best);
}

function probe(t: Target | undefined): Target | undefined {
  if (t?.down) t.retryAt = Date.now() + DOWN_RETRY_MS;
  return t;
}
