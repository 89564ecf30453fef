import { useState } from 'preact/hooks';
import { appPath } from '../api';
import { bytes, num } from '../format';
import { useResource } from '../resource';
import type { MetricSeries } from '../types';
import { LineChart } from './LineChart';

const RANGES: { label: string; ms: number }[] = [
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 h', ms: 60 * 60_000 },
  { label: '24 h', ms: 24 * 60 * 60_000 },
  { label: '7 d', ms: 7 * 24 * 60 * 60_000 },
];

/** The app's figures over time (rolled up every 10 s by the agent), with a choice of range. */
export function MetricsPanel({ app }: { app: string }) {
  const [range, setRange] = useState(RANGES[1]?.ms ?? 3_600_000);
  // Rounded so that the path, and so the request, changes at most once per sampling interval.
  const now = Math.ceil(Date.now() / 10_000) * 10_000;
  const since = now - range;
  const { data, error } = useResource<MetricSeries>(`${appPath(app, '/metrics')}?since=${since}`, 10_000);
  const points = data?.points ?? [];
  const times = points.map((p) => p.at);
  const common = { times, from: since, to: now };
  return (
    <div class="metrics">
      <div class="range" role="group" aria-label="Time range">
        {RANGES.map((r) => (
          <button
            key={r.label}
            type="button"
            class="chip"
            aria-pressed={r.ms === range}
            onClick={() => setRange(r.ms)}
          >
            {r.label}
          </button>
        ))}
      </div>
      {error && (
        <p role="alert" class="error">
          {error.message}
        </p>
      )}
      {data && points.length === 0 && (
        <p class="muted small">No figures yet: the agent records a point every 10 seconds.</p>
      )}
      <div class="chart-grid">
        <LineChart
          title="Requests/s"
          {...common}
          format={num}
          series={[
            { name: 'req/s', tone: 'tone-blue', values: points.map((p) => p.requestsPerSecond) },
            { name: '5xx/s', tone: 'tone-red', values: points.map((p) => p.errorsPerSecond) },
          ]}
        />
        <LineChart
          title="Latency p99"
          {...common}
          format={(v) => `${num(v)} ms`}
          series={[{ name: 'p99', tone: 'tone-purple', values: points.map((p) => p.p99Ms) }]}
        />
        <LineChart
          title="CPU"
          {...common}
          format={(v) => `${num(v)} cores`}
          series={[{ name: 'cpu', tone: 'tone-green', values: points.map((p) => p.cpuCores) }]}
        />
        <LineChart
          title="Memory"
          {...common}
          format={bytes}
          series={[{ name: 'memory', tone: 'tone-orange', values: points.map((p) => p.memoryBytes) }]}
        />
        <LineChart
          title="Replicas"
          {...common}
          format={num}
          series={[
            // Desired first, so that ready is drawn over it where they are equal.
            { name: 'desired', tone: 'tone-grey', values: points.map((p) => p.replicasDesired) },
            { name: 'ready', tone: 'tone-green', values: points.map((p) => p.replicasReady) },
          ]}
        />
      </div>
    </div>
  );
}
