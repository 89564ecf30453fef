import {
  DEFAULT_SCALE_DOWN_POLICIES,
  DEFAULT_SCALE_UP,
  limitRate,
  recordScale,
  stabilize,
  type LimitReason,
  type ScaleEvent,
  type ScalingPolicy,
  type ScalingRules,
  type TimedRecommendation,
} from './hpa-behavior.js';
import { decisionReason } from './hpa-reason.js';
import { metricReplicas, type MetricProposal } from './metric-replicas.js';

/** The autoscaling settings of one app (from wandol.yaml `autoscale`), with the HPA defaults. */
export interface HpaPolicy {
  min: number;
  max: number;
  /** Average CPU usage as a % of the instance's request (resources.cpu). */
  targetCPUUtilization?: number;
  /** Average memory usage as a % of the instance's request (resources.memory). */
  targetMemoryUtilization?: number;
  /** Average requests per second per instance. */
  targetRequestsPerSecond?: number;
  /** Scale-down acts on the highest recommendation of this window (HPA default 300 s). */
  scaleDownStabilizationMs: number;
  /** Default: DEFAULT_SCALE_UP (no window; +100 % or +4 per 15 s). */
  scaleUp?: ScalingRules;
  /** Default: DEFAULT_SCALE_DOWN_POLICIES (no rate limit). */
  scaleDownPolicies?: readonly ScalingPolicy[];
  /** Default 0.1. */
  tolerance?: number;
}

/** What one instance measures now; undefined: no sample (yet). */
export interface InstanceMetrics {
  ready: boolean;
  /** CPU usage as a % of the request. */
  cpuUtilization?: number | undefined;
  /** Memory usage as a % of the request. */
  memoryUtilization?: number | undefined;
  requestsPerSecond?: number | undefined;
}

/** One evaluation's input: the policy, the replica count the app has now and its instances. */
export interface HpaInput {
  policy: HpaPolicy;
  current: number;
  instances: readonly InstanceMetrics[];
}

/** What the policy remembers between evaluations; start with INITIAL_HPA_STATE. */
export interface HpaState {
  /** false until the first evaluation seeds the scale-down window with the current count (as the HPA does). */
  initialized: boolean;
  recommendations: readonly TimedRecommendation[];
  /** Replica changes still inside a rate-limit period. */
  events: readonly ScaleEvent[];
}

/** The state of an autoscaler that has not evaluated yet. */
export const INITIAL_HPA_STATE: HpaState = { initialized: false, recommendations: [], events: [] };

/** The metric names, in the order reasons list them. */
export type MetricName = 'cpu' | 'memory' | 'rps';

/** The numbers behind a decision. */
export interface HpaMetrics {
  current: number;
  instances: number;
  cpu?: MetricProposal;
  memory?: MetricProposal;
  rps?: MetricProposal;
  /** The largest metric proposal; absent when nothing could be measured. */
  recommendation?: number;
  /** The recommendation after the stabilisation window. */
  stabilized?: number;
  limit?: LimitReason;
  desired: number;
}

/** The outcome of one evaluation: the replica count to have and a one-line reason. */
export interface HpaDecision {
  desired: number;
  reason: string;
  metrics: HpaMetrics;
}

/**
 * One evaluation of the Kubernetes HPA algorithm at time `now` (ms): the per-metric proposals
 * (largest wins), the stabilisation windows, the scale rate policies and the [min, max] clamp.
 * Returns the decision and the new state (which already counts a change to `desired` as done). A
 * replica count of 0 pauses autoscaling, as in Kubernetes; outside [min, max] it is brought back.
 * Pure: never throws on odd input, it keeps the current count instead.
 */
export function decide(
  state: HpaState,
  input: HpaInput,
  now: number,
): { decision: HpaDecision; state: HpaState } {
  const { policy, current } = input;
  const metrics: HpaMetrics = { current, instances: input.instances.length, desired: current };
  if (current === 0) return { decision: finish(metrics, input, 'paused'), state };
  const bounded = Math.min(policy.max, Math.max(policy.min, current));
  if (bounded !== current) {
    const next = withEvent(state, current, bounded, now, policy);
    return { decision: finish({ ...metrics, desired: bounded }, input, 'bounds'), state: next };
  }
  const proposals = measure(input);
  Object.assign(metrics, proposals.byName);
  if (proposals.valid.length === 0) return { decision: finish(metrics, input, 'unmeasured'), state };
  const best = Math.max(...proposals.valid.map((p) => p.replicas));
  // Kubernetes refuses to scale down while a metric cannot be read: it might have asked for more.
  if (proposals.invalid.length > 0 && best < current)
    return { decision: finish({ ...metrics, recommendation: best }, input, 'partial'), state };
  return normalize(state, input, { ...metrics, recommendation: best }, now);
}

/** Stabilisation, rate limits and clamp, as normalizeDesiredReplicasWithBehaviors. */
function normalize(
  state: HpaState,
  input: HpaInput,
  metrics: HpaMetrics & { recommendation: number },
  now: number,
): { decision: HpaDecision; state: HpaState } {
  const { policy, current } = input;
  const up = policy.scaleUp ?? DEFAULT_SCALE_UP;
  const down = { stabilizationMs: policy.scaleDownStabilizationMs, policies: downPolicies(policy) };
  const seeded = state.initialized ? state.recommendations : [{ at: now, replicas: current }];
  const stable = stabilize(seeded, metrics.recommendation, current, up, down, now);
  const bounds = { min: policy.min, max: policy.max, up, down };
  const limited = limitRate(stable.replicas, current, bounds, state.events, now);
  const next = withEvent(
    { ...state, recommendations: stable.history },
    current,
    limited.replicas,
    now,
    policy,
  );
  const done: HpaMetrics = { ...metrics, stabilized: stable.replicas, desired: limited.replicas };
  if (limited.limit) done.limit = limited.limit;
  return { decision: finish(done, input, 'scaled'), state: { ...next, initialized: true } };
}

function measure(input: HpaInput): {
  byName: Partial<Record<MetricName, MetricProposal>>;
  valid: MetricProposal[];
  invalid: MetricName[];
} {
  const { policy, current, instances } = input;
  const tolerance = policy.tolerance ?? 0.1;
  const targets: [MetricName, number | undefined, (i: InstanceMetrics) => number | undefined][] = [
    ['cpu', policy.targetCPUUtilization, (i) => i.cpuUtilization],
    ['memory', policy.targetMemoryUtilization, (i) => i.memoryUtilization],
    ['rps', policy.targetRequestsPerSecond, (i) => i.requestsPerSecond],
  ];
  const result = { byName: {} as Partial<Record<MetricName, MetricProposal>>, valid: [] as MetricProposal[] };
  const invalid: MetricName[] = [];
  for (const [name, target, pick] of targets) {
    if (target === undefined || !(target > 0)) continue;
    const samples = instances.map((i) => ({ ready: i.ready, value: pick(i) }));
    // Kubernetes sets unready instances aside for the CPU metric only (their CPU is start-up noise).
    const proposal = metricReplicas(samples, { target, current, tolerance, setAsideUnready: name === 'cpu' });
    if (proposal === undefined) {
      invalid.push(name);
    } else {
      result.byName[name] = proposal;
      result.valid.push(proposal);
    }
  }
  return { ...result, invalid };
}

function downPolicies(policy: HpaPolicy): readonly ScalingPolicy[] {
  return policy.scaleDownPolicies ?? DEFAULT_SCALE_DOWN_POLICIES;
}

function withEvent(state: HpaState, from: number, to: number, now: number, policy: HpaPolicy): HpaState {
  const policies = [...(policy.scaleUp ?? DEFAULT_SCALE_UP).policies, ...downPolicies(policy)];
  return { ...state, events: recordScale(state.events, from, to, now, policies) };
}

/** Why the evaluation ended where it did: reason texts differ per case. */
export type DecisionCase = 'paused' | 'bounds' | 'unmeasured' | 'partial' | 'scaled';

function finish(metrics: HpaMetrics, input: HpaInput, kind: DecisionCase): HpaDecision {
  return { desired: metrics.desired, reason: decisionReason(kind, metrics, input), metrics };
}
