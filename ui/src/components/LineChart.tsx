/** One line of a chart: a value per point (null: a gap). */
export interface Series {
  name: string;
  /** CSS class setting the stroke colour. */
  tone: string;
  values: (number | null)[];
}

const W = 300;
const H = 90;

/**
 * A small line chart in inline SVG: time runs from `from` to `to` (ms) along x, values from 0 to the
 * largest along y. The SVG stretches to its box's width; strokes keep their width. Described for
 * screen readers by its title and latest values.
 */
export function LineChart({
  title,
  times,
  series,
  from,
  to,
  format,
}: {
  title: string;
  times: number[];
  series: Series[];
  from: number;
  to: number;
  format: (value: number) => string;
}) {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = Math.max(0, ...all);
  const top = max === 0 ? 1 : max * 1.1;
  const x = (t: number): number => ((t - from) / Math.max(1, to - from)) * W;
  const y = (v: number): number => H - (v / top) * H;
  const latest = series.map((s) => {
    const value = [...s.values].reverse().find((v) => v !== null);
    return `${s.name} ${value === undefined || value === null ? '—' : format(value)}`;
  });
  const label = `${title}: ${times.length === 0 ? 'no data yet' : `latest ${latest.join(', ')}; max ${format(max)}`}`;
  return (
    <figure class="chart">
      <figcaption>
        <span class="chart-title">{title}</span>
        <span class="chart-latest">
          {series.map((s, i) => (
            <span key={s.name} class={`legend ${s.tone}`}>
              {latest[i]}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={label}>
        <line x1="0" x2={W} y1={H - 0.5} y2={H - 0.5} class="axis" />
        <line x1="0" x2={W} y1={H / 2} y2={H / 2} class="grid" />
        {series.map((s) => (
          <path key={s.name} d={pathOf(times, s.values, x, y)} class={`line ${s.tone}`} />
        ))}
      </svg>
      <div class="chart-scale small muted" aria-hidden="true">
        <span>max {format(max)}</span>
        <span>{times.length === 0 ? 'no data yet' : 'now'}</span>
      </div>
    </figure>
  );
}

/** The SVG path through the points; a null value breaks the line, a lone point is a dot. Pure. */
function pathOf(
  times: number[],
  values: (number | null)[],
  x: (t: number) => number,
  y: (v: number) => number,
): string {
  const runs: string[][] = [];
  let run: string[] = [];
  values.forEach((value, i) => {
    const t = times[i];
    if (value === null || t === undefined) {
      if (run.length > 0) runs.push(run);
      run = [];
      return;
    }
    run.push(`${x(t).toFixed(1)},${y(value).toFixed(1)}`);
  });
  if (run.length > 0) runs.push(run);
  // A zero-length segment with round caps draws a dot where a point has no neighbour to join.
  return runs.map((r) => (r.length === 1 ? `M${r[0]} h0` : `M${r.join(' L')}`)).join(' ');
}
