/** A Kubernetes HPA scaling policy: at most `value` instances (Pods) or percent (Percent) per period. */
export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodMs: number;
}

/** One direction's behaviour (selectPolicy is Max: the policy allowing the largest change wins). */
export interface ScalingRules {
  /** Over this window, scale-up uses the lowest and scale-down the highest recommendation seen. */
  stabilizationMs: number;
  policies: readonly ScalingPolicy[];
}

/** The HPA default for scale-up: no stabilisation, +100 % or +4 instances per 15 s, whichever is more. */
export const DEFAULT_SCALE_UP: ScalingRules = {
  stabilizationMs: 0,
  policies: [
    { type: 'Percent', value: 100, periodMs: 15_000 },
    { type: 'Pods', value: 4, periodMs: 15_000 },
  ],
};

/** The HPA default scale-down policies: -100 % per 15 s (no rate limit beyond the stabilisation window). */
export const DEFAULT_SCALE_DOWN_POLICIES: readonly ScalingPolicy[] = [
  { type: 'Percent', value: 100, periodMs: 15_000 },
];

/** A recommendation (the largest metric proposal, before stabilisation) and when it was made. */
export interface TimedRecommendation {
  at: number;
  replicas: number;
}

/** A change of the replica count: positive for a scale-up, negative for a scale-down. */
export interface ScaleEvent {
  at: number;
  change: number;
}

/**
 * Kubernetes' stabilizeRecommendationWithBehaviors: the recommendation to act on is the lowest (scale-up)
 * or highest (scale-down) of `desired` and those made within the direction's window (strictly newer
 * than now − window). Returns it and the history with `desired` added and records older than both
 * windows dropped. Pure.
 */
export function stabilize(
  history: readonly TimedRecommendation[],
  desired: number,
  current: number,
  up: ScalingRules,
  down: ScalingRules,
  now: number,
): { replicas: number; history: TimedRecommendation[] } {
  const upward = desired >= current;
  const cutoff = now - (upward ? up.stabilizationMs : down.stabilizationMs);
  let replicas = desired;
  for (const rec of history) {
    if (rec.at > cutoff)
      replicas = upward ? Math.min(replicas, rec.replicas) : Math.max(replicas, rec.replicas);
  }
  const keepFrom = now - Math.max(up.stabilizationMs, down.stabilizationMs);
  return { replicas, history: [...history.filter((r) => r.at >= keepFrom), { at: now, replicas: desired }] };
}

/** Why a stabilised recommendation was changed on its way to the scale target. */
export type LimitReason = 'scale-up policy' | 'scale-down policy' | 'max' | 'min';

/**
 * Kubernetes' convertDesiredReplicasWithBehaviorRate: bounds `desired` by the scale-up (or scale-down)
 * rate limit computed from the changes of each policy's period, and by [min, max]. Pure.
 */
export function limitRate(
  desired: number,
  current: number,
  bounds: { min: number; max: number; up: ScalingRules; down: ScalingRules },
  events: readonly ScaleEvent[],
  now: number,
): { replicas: number; limit?: LimitReason } {
  if (desired > current) {
    const rateLimit = Math.max(current, scaleUpLimit(current, bounds.up.policies, events, now));
    const allowed = Math.min(bounds.max, rateLimit);
    const limit: LimitReason = bounds.max > rateLimit ? 'scale-up policy' : 'max';
    return desired > allowed ? { replicas: allowed, limit } : { replicas: desired };
  }
  if (desired < current) {
    const rateLimit = Math.min(current, scaleDownLimit(current, bounds.down.policies, events, now));
    const allowed = Math.max(bounds.min, rateLimit);
    const limit: LimitReason = bounds.min < rateLimit ? 'scale-down policy' : 'min';
    return desired < allowed ? { replicas: allowed, limit } : { replicas: desired };
  }
  return { replicas: desired };
}

/** The highest count any scale-up policy allows now (selectPolicy Max); `current` when there is none. */
function scaleUpLimit(
  current: number,
  policies: readonly ScalingPolicy[],
  events: readonly ScaleEvent[],
  now: number,
): number {
  if (policies.length === 0) return current;
  return Math.max(
    ...policies.map((p) => {
      const start = periodStart(current, p, events, now);
      return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    }),
  );
}

/** The lowest count any scale-down policy allows now (selectPolicy Max); `current` when there is none. */
function scaleDownLimit(
  current: number,
  policies: readonly ScalingPolicy[],
  events: readonly ScaleEvent[],
  now: number,
): number {
  if (policies.length === 0) return current;
  return Math.min(
    ...policies.map((p) => {
      const start = periodStart(current, p, events, now);
      return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    }),
  );
}

/** The replica count at the start of the policy's period: current minus what was added, plus what was removed. */
function periodStart(
  current: number,
  policy: ScalingPolicy,
  events: readonly ScaleEvent[],
  now: number,
): number {
  const cutoff = now - policy.periodMs;
  const changed = events.filter((e) => e.at > cutoff).reduce((sum, e) => sum + e.change, 0);
  return current - changed;
}

/** `events` plus the change from `from` to `to` (none when equal), without those older than every period. Pure. */
export function recordScale(
  events: readonly ScaleEvent[],
  from: number,
  to: number,
  now: number,
  policies: readonly ScalingPolicy[],
): ScaleEvent[] {
  const longest = Math.max(0, ...policies.map((p) => p.periodMs));
  const kept = events.filter((e) => e.at > now - longest);
  return to === from ? kept : [...kept, { at: now, change: to - from }];
}
