/** One instance's value of one metric, as the autoscaler sees it. */
export interface MetricSample {
  /** false while the instance is starting (or unready): its CPU is set aside as Kubernetes does. */
  ready: boolean;
  /** The instance's value (utilisation % or an average value such as req/s); undefined: no sample. */
  value?: number | undefined;
}

/** How one metric's proposal is computed. */
export interface MetricRules {
  /** The desired value per instance (a utilisation % or an average value). */
  target: number;
  /** The replica count the scale target has now. */
  current: number;
  /** A ratio within this distance of 1.0 changes nothing (Kubernetes: 0.1). */
  tolerance: number;
  /** Set aside unready instances that have a sample (Kubernetes does this for CPU only). */
  setAsideUnready: boolean;
}

/** One metric's proposal and the numbers behind it. */
export interface MetricProposal {
  /** The average over the measured (and, for CPU, ready) instances, before any assumption. */
  value: number;
  target: number;
  /** Average / target after the conservative assumptions for unready and missing instances. */
  ratio: number;
  /** The replica count this metric alone asks for. */
  replicas: number;
  /** Instances whose sample was used as measured. */
  measured: number;
  /** Instances with a sample that were set aside because they are not ready. */
  unready: number;
  /** Instances without a sample. */
  missing: number;
  /** Why `replicas` is the current count: the ratio is within tolerance, or the assumptions reversed the direction. */
  held?: 'tolerance' | 'direction';
}

/**
 * The Kubernetes HPA replica calculation for one metric: desired = ceil(n × value / target), no change
 * when the ratio is within `tolerance` of 1. Conservative rules (as in replica_calculator.go): on a
 * scale-up, missing instances and (for CPU) unready ones count at 0; on a scale-down, missing ones
 * count at 100 % of the target; when those assumptions reverse the direction or bring the ratio within
 * tolerance, the current count is kept. Returns undefined when no instance has a usable sample
 * (Kubernetes does not scale on that metric then). Pure.
 */
export function metricReplicas(
  samples: readonly MetricSample[],
  rules: MetricRules,
): MetricProposal | undefined {
  const measured: number[] = [];
  let unready = 0;
  let missing = 0;
  for (const s of samples) {
    if (s.value === undefined || !Number.isFinite(s.value)) missing++;
    else if (!s.ready && rules.setAsideUnready) unready++;
    else measured.push(s.value);
  }
  if (measured.length === 0) return undefined;
  const value = mean(measured);
  const ratio = value / rules.target;
  const base = { value, target: rules.target, measured: measured.length, unready, missing };
  const scaleUpWithUnready = unready > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing === 0) {
    if (within(ratio, rules.tolerance)) return hold(base, ratio, rules.current, 'tolerance');
    return { ...base, ratio, replicas: ceil(ratio * measured.length) };
  }
  const assumed = [...measured];
  if (ratio < 1) assumed.push(...repeat(rules.target, missing));
  else if (ratio > 1) assumed.push(...repeat(0, missing));
  if (scaleUpWithUnready) assumed.push(...repeat(0, unready));
  const newRatio = mean(assumed) / rules.target;
  if (within(newRatio, rules.tolerance)) return hold(base, newRatio, rules.current, 'tolerance');
  if ((ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1))
    return hold(base, newRatio, rules.current, 'direction');
  const replicas = ceil(newRatio * assumed.length);
  // A different instance count must not turn a scale-down into a scale-up (or the reverse).
  if ((newRatio < 1 && replicas > rules.current) || (newRatio > 1 && replicas < rules.current))
    return hold(base, newRatio, rules.current, 'direction');
  return { ...base, ratio: newRatio, replicas };
}

function hold(
  base: Omit<MetricProposal, 'ratio' | 'replicas' | 'held'>,
  ratio: number,
  current: number,
  held: 'tolerance' | 'direction',
): MetricProposal {
  return { ...base, ratio, replicas: current, held };
}

/** |1 − ratio| ≤ tolerance, ignoring floating-point noise (55 / 50 is 1.1 exactly as documented). */
function within(ratio: number, tolerance: number): boolean {
  return Math.abs(1 - ratio) <= tolerance + 1e-9;
}

/** Math.ceil that ignores floating-point noise (1.1 × 10 is 11.000000000000002, not more than 11). */
function ceil(x: number): number {
  return Math.ceil(x - 1e-9);
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function repeat(value: number, times: number): number[] {
  return Array.from({ length: times }, () => value);
}
