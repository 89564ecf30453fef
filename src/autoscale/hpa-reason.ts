import type { DecisionCase, HpaInput, HpaMetrics, InstanceMetrics, MetricName } from './hpa-policy.js';
import type { MetricProposal } from './metric-replicas.js';

/** How reasons print each metric: `label value+unit of target+unit target`; `noun` when unsampled. */
const METRICS: readonly {
  name: MetricName;
  label: string;
  unit: string;
  noun: string;
  target: keyof HpaInput['policy'];
}[] = [
  { name: 'cpu', label: 'cpu', unit: '%', noun: 'cpu', target: 'targetCPUUtilization' },
  { name: 'memory', label: 'memory', unit: '%', noun: 'memory', target: 'targetMemoryUtilization' },
  { name: 'rps', label: 'requests', unit: '/s', noun: 'request rate', target: 'targetRequestsPerSecond' },
];
const VALUES: Record<MetricName, keyof InstanceMetrics> = {
  cpu: 'cpuUtilization',
  memory: 'memoryUtilization',
  rps: 'requestsPerSecond',
};

/**
 * The one-line reason of a decision, e.g. `cpu 180% of 50% target across 2 instances → 6 (8 wanted,
 * limited to 6 by the scale-up policy)` or `requests 31.5/s of 10/s target across 1 instance → 4`. Pure.
 */
export function decisionReason(kind: DecisionCase, m: HpaMetrics, input: HpaInput): string {
  const { policy } = input;
  switch (kind) {
    case 'paused':
      return 'scaled to 0 by hand: autoscaling resumes once the app is scaled up again';
    case 'bounds': {
      const side =
        m.current > policy.max ? `above the max of ${policy.max}` : `below the min of ${policy.min}`;
      return `${count(m.current, 'instance')}, ${side} → ${m.desired}`;
    }
    case 'unmeasured':
      return `no metrics yet across ${across(input)} → ${m.desired} (kept)`;
    case 'partial': {
      const unread = configured(input).filter(({ name }) => m[name] === undefined);
      const nouns = unread.map(({ noun }) => noun).join(', ');
      const note = `${m.recommendation} wanted, but no ${nouns} samples: no scale-down without them`;
      return `${measured(m)} across ${across(input)} → ${m.desired} (${note})`;
    }
    case 'scaled': {
      const notes = scaledNotes(m, input);
      return `${measured(m)} across ${across(input)} → ${m.desired}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    }
  }
}

function scaledNotes(m: HpaMetrics, input: HpaInput): string[] {
  const notes: string[] = [];
  const rec = m.recommendation ?? m.current;
  const stable = m.stabilized ?? rec;
  const winner = METRICS.map(({ name }) => m[name]).find((p) => p !== undefined && p.replicas === rec);
  if (m.desired === m.current && winner?.held === 'tolerance')
    notes.push(`within the ${Math.round((input.policy.tolerance ?? 0.1) * 100)}% tolerance`);
  if (m.desired === m.current && winner?.held === 'direction')
    notes.push('kept: counting starting or unsampled instances would reverse the direction');
  if (stable !== rec) {
    const down = stable > rec;
    const windowMs = down
      ? input.policy.scaleDownStabilizationMs
      : (input.policy.scaleUp?.stabilizationMs ?? 0);
    notes.push(
      `${rec} wanted, held at ${stable} by the ${seconds(windowMs)} scale-${down ? 'down' : 'up'} stabilization window`,
    );
  }
  if (m.limit) {
    const by = m.limit === 'max' || m.limit === 'min' ? `${m.limit} ${m.desired}` : `the ${m.limit}`;
    notes.push(`${stable} wanted, limited to ${m.desired} by ${by}`);
  }
  return notes;
}

/** `cpu 180% of 50% target, requests 12/s of 10/s target`, each with its proposal when there are several. */
function measured(m: HpaMetrics): string {
  const present = METRICS.filter(({ name }) => m[name] !== undefined);
  return present
    .map(({ name, label, unit }) => {
      const p = m[name] as MetricProposal;
      const own = present.length > 1 ? ` (→ ${p.replicas})` : '';
      return `${label} ${num(p.value)}${unit} of ${num(p.target)}${unit} target${own}`;
    })
    .join(', ');
}

/** `3 instances (1 starting, 1 not yet sampled)`. */
function across(input: HpaInput): string {
  const names = configured(input).map(({ name }) => name);
  const starting = input.instances.filter((i) => !i.ready).length;
  const unsampled = input.instances.filter((i) => names.some((n) => i[VALUES[n]] === undefined)).length;
  const extra = [starting ? `${starting} starting` : '', unsampled ? `${unsampled} not yet sampled` : '']
    .filter(Boolean)
    .join(', ');
  return `${count(input.instances.length, 'instance')}${extra ? ` (${extra})` : ''}`;
}

function configured(input: HpaInput): typeof METRICS {
  return METRICS.filter(({ target }) => input.policy[target] !== undefined);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** 180, 52.5, 0.05: whole numbers from 100 up, at most 3 significant digits below. */
function num(v: number): string {
  return String(Math.abs(v) >= 100 ? Math.round(v) : Number(v.toPrecision(3)));
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}
