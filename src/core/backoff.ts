/** Exponential backoff settings: first delay, factor, cap, and the share of random jitter (0–1). */
export interface BackoffPolicy {
  initialMs: number;
  factor: number;
  maxMs: number;
  jitter: number;
}

/**
 * The delay before retry number `attempt` (0-based): initial × factor^attempt, capped, with ±jitter.
 * `random` is injectable for tests. Pure.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.factor, Math.max(0, attempt)));
  const spread = base * policy.jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}

/** Adds ±`share` random jitter to `ms` (used for poll intervals, so many apps do not fetch at once). */
export function withJitter(ms: number, share: number, random: () => number = Math.random): number {
  return Math.max(0, Math.round(ms * (1 - share + random() * 2 * share)));
}
