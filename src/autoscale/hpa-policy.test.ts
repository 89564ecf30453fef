import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decide,
  INITIAL_HPA_STATE,
  type HpaPolicy,
  type HpaState,
  type InstanceMetrics,
} from './hpa-policy.js';

const S = 1000;
const POLICY: HpaPolicy = { min: 1, max: 10, targetCPUUtilization: 50, scaleDownStabilizationMs: 300 * S };
const cpu = (...values: (number | undefined)[]): InstanceMetrics[] =>
  values.map((cpuUtilization) => ({ ready: true, cpuUtilization }));

/** Runs a sequence of evaluations, feeding each one's desired count back as the next current one. */
function run(
  policy: HpaPolicy,
  start: number,
  steps: { at: number; load: (n: number) => InstanceMetrics[] }[],
) {
  let state: HpaState = INITIAL_HPA_STATE;
  let current = start;
  return steps.map(({ at, load }) => {
    const out = decide(state, { policy, current, instances: load(current) }, at);
    state = out.state;
    current = out.decision.desired;
    return out.decision;
  });
}
const every = (value: number) => (n: number) => cpu(...Array<number>(n).fill(value));

describe('decide: one evaluation', () => {
  const once = (policy: Partial<HpaPolicy>, current: number, instances: InstanceMetrics[]) =>
    decide(INITIAL_HPA_STATE, { policy: { ...POLICY, ...policy }, current, instances }, 1_000_000).decision;

  it('says why in one line, with the numbers used', () => {
    const d = once({}, 2, cpu(180, 180));
    assert.equal(d.desired, 6);
    assert.equal(
      d.reason,
      'cpu 180% of 50% target across 2 instances → 6 (8 wanted, limited to 6 by the scale-up policy)',
    );
    assert.equal(d.metrics.cpu?.value, 180);
    assert.equal(d.metrics.cpu?.replicas, 8);
    assert.deepEqual(
      [d.metrics.recommendation, d.metrics.stabilized, d.metrics.limit, d.metrics.desired],
      [8, 8, 'scale-up policy', 6],
    );
  });

  it('keeps the count within tolerance', () => {
    const d = once({}, 3, cpu(52, 53, 54));
    assert.equal(d.desired, 3);
    assert.equal(d.reason, 'cpu 53% of 50% target across 3 instances → 3 (within the 10% tolerance)');
  });

  it('clamps to max', () => {
    const d = once({ max: 4 }, 2, cpu(150, 150));
    assert.equal(d.desired, 4);
    assert.match(d.reason, /→ 4 \(6 wanted, limited to 4 by max 4\)$/);
  });

  it('clamps to min', () => {
    const d = once({ min: 2, scaleDownStabilizationMs: 0 }, 4, cpu(5, 5, 5, 5));
    assert.equal(d.desired, 2);
    assert.match(d.reason, /→ 2 \(1 wanted, limited to 2 by min 2\)$/);
  });

  it('brings a count outside [min, max] back without measuring', () => {
    assert.equal(once({ max: 4 }, 6, []).desired, 4);
    assert.equal(once({ max: 4 }, 6, []).reason, '6 instances, above the max of 4 → 4');
    assert.equal(once({ min: 3 }, 1, []).desired, 3);
  });

  it('pauses at 0 replicas (scaled to zero by hand), as Kubernetes does', () => {
    const d = once({}, 0, []);
    assert.equal(d.desired, 0);
    assert.match(d.reason, /autoscaling resumes/);
  });

  it('keeps the count without samples', () => {
    const d = once({}, 2, [{ ready: true }, { ready: false }]);
    assert.equal(d.desired, 2);
    assert.equal(d.reason, 'no metrics yet across 2 instances (1 starting, 2 not yet sampled) → 2 (kept)');
  });

  it('takes the largest proposal of several metrics', () => {
    const instances = [1, 2].map(() => ({
      ready: true,
      cpuUtilization: 25,
      memoryUtilization: 90,
      requestsPerSecond: 30,
    }));
    const d = once({ targetMemoryUtilization: 60, targetRequestsPerSecond: 10, max: 20 }, 2, instances);
    assert.deepEqual(
      [d.metrics.cpu?.replicas, d.metrics.memory?.replicas, d.metrics.rps?.replicas],
      [1, 3, 6],
    );
    assert.equal(d.metrics.recommendation, 6);
    assert.equal(d.desired, 6);
    assert.match(
      d.reason,
      /^cpu 25% of 50% target \(→ 1\), memory 90% of 60% target \(→ 3\), requests 30\/s of 10\/s target \(→ 6\) across 2 instances → 6$/,
    );
  });

  it('does not scale down while a configured metric has no samples', () => {
    const d = once({ targetMemoryUtilization: 60, scaleDownStabilizationMs: 0 }, 4, cpu(5, 5, 5, 5));
    assert.equal(d.desired, 4);
    assert.match(d.reason, /1 wanted, but no memory samples: no scale-down without them/);
    const up = once({ targetMemoryUtilization: 60 }, 2, cpu(100, 100));
    assert.equal(up.desired, 4, 'a scale-up still happens');
  });

  it('handles starting instances as Kubernetes does for CPU', () => {
    const d = once({}, 4, [
      ...cpu(100, 100),
      { ready: false, cpuUtilization: 5 },
      { ready: false, cpuUtilization: 5 },
    ]);
    assert.equal(d.desired, 4, '[100, 100, 0, 0] is on target: no scale-up for instances still starting');
    assert.match(d.reason, /across 4 instances \(2 starting\) → 4 \(within the 10% tolerance\)/);
  });

  it('is pure: the state passed in is not changed', () => {
    const state = Object.freeze({
      ...INITIAL_HPA_STATE,
      recommendations: Object.freeze([]),
      events: Object.freeze([]),
    });
    const out = decide(state, { policy: POLICY, current: 1, instances: cpu(400) }, 0);
    assert.equal(out.decision.desired, 5);
    assert.deepEqual(state, INITIAL_HPA_STATE);
    assert.deepEqual(out.state.events, [{ at: 0, change: 4 }]);
  });
});

describe('decide: scale-up rate limit (+100 % or +4 per 15 s, whichever is more)', () => {
  it('goes 1 → 5 → (same period) 5 → 10 → 20 under a huge load', () => {
    const got = run({ ...POLICY, max: 50 }, 1, [
      { at: 0, load: every(1000) },
      { at: 5 * S, load: every(1000) },
      { at: 15 * S, load: every(1000) },
      { at: 30 * S, load: every(1000) },
    ]);
    assert.deepEqual(
      got.map((d) => d.desired),
      [5, 5, 10, 20],
    );
    assert.match(got[0]?.reason ?? '', /→ 5 \(20 wanted, limited to 5 by the scale-up policy\)/);
    assert.match(got[1]?.reason ?? '', /→ 5 \(\d+ wanted, limited to 5 by the scale-up policy\)/);
  });

  it('counts a scale-down inside the period: the limit starts from the count before it', () => {
    const policy = { ...POLICY, scaleDownStabilizationMs: 0, max: 50 };
    const got = run(policy, 8, [
      { at: 0, load: every(5) }, // 8 → 1
      { at: 5 * S, load: every(1000) }, // period start 8: max(16, 12) = 16
    ]);
    assert.deepEqual(
      got.map((d) => d.desired),
      [1, 16],
    );
  });
});

describe('decide: scale-down stabilization window', () => {
  it('ignores a dip shorter than the window', () => {
    const steps = [0, 15, 30, 45, 60, 75].map((t) => ({
      at: t * S,
      load: every(t >= 15 && t <= 60 ? 10 : 50),
    }));
    assert.deepEqual(
      run(POLICY, 4, steps).map((d) => d.desired),
      [4, 4, 4, 4, 4, 4],
    );
  });

  it('after the window, scales down to the highest recommendation still inside it', () => {
    // t=0: on target (4); t=15 s: 37.5 % → 3; from t=30 s: 10 % → 1.
    const loads = (t: number) => (t === 0 ? 50 : t === 15 ? 37.5 : 10);
    const times = [0, 15, 30, 150, 285, 300, 315];
    const got = run(
      POLICY,
      4,
      times.map((t) => ({ at: t * S, load: every(loads(t)) })),
    );
    assert.deepEqual(
      got.map((d) => d.desired),
      [4, 4, 4, 4, 4, 3, 1],
    );
    assert.match(
      got[2]?.reason ?? '',
      /→ 4 \(1 wanted, held at 4 by the 300s scale-down stabilization window\)/,
    );
    assert.match(got[5]?.reason ?? '', /→ 3 \(1 wanted, held at 3 by the 300s/);
  });

  it('seeds the window with the current count at the first evaluation (a restarted agent does not scale in at once)', () => {
    const got = run(POLICY, 4, [
      { at: 0, load: every(5) },
      { at: 299 * S, load: every(5) },
      { at: 300 * S, load: every(5) },
    ]);
    assert.deepEqual(
      got.map((d) => d.desired),
      [4, 4, 1],
    );
  });

  it('does not delay a scale-up', () => {
    const got = run(POLICY, 2, [
      { at: 0, load: every(10) },
      { at: 15 * S, load: every(100) },
    ]);
    assert.deepEqual(
      got.map((d) => d.desired),
      [2, 4],
    );
  });

  it('applies a custom scale-down policy (1 instance per minute)', () => {
    const policy: HpaPolicy = {
      ...POLICY,
      scaleDownStabilizationMs: 0,
      scaleDownPolicies: [{ type: 'Pods', value: 1, periodMs: 60 * S }],
    };
    const got = run(policy, 4, [
      { at: 0, load: every(5) },
      { at: 30 * S, load: every(5) },
      { at: 61 * S, load: every(5) },
    ]);
    assert.deepEqual(
      got.map((d) => d.desired),
      [3, 3, 2],
    );
    assert.match(got[0]?.reason ?? '', /limited to 3 by the scale-down policy/);
  });
});
