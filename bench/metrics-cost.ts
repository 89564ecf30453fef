// Cost of a Prometheus scrape of the agent: render() of the whole exposition with 50 apps of two
// instances each (a scripted source: the agent wires the real one), timed over 200 renders after
// a warm-up, with the size of the text.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createAgentMetrics } from '../src/metrics/agent-metrics.js';
import { ScriptedMetricsSource, scriptedApp } from '../src/metrics/scripted-metrics-source.js';

const APPS = 50;
const RENDERS = 200;
const WARMUP = 20;

const percentile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

/** Runs the benchmark and returns { apps, renderMsP50, renderMsP99, bytes }. */
export async function metricsCostBench(): Promise<Record<string, number>> {
  const states = Array.from({ length: APPS }, (_, i) =>
    scriptedApp(`app-${i}`, { requests: 1000 + i, failed: i % 7, instances: 2 }),
  );
  const metrics = createAgentMetrics(new ScriptedMetricsSource(states));
  for (const state of states) {
    metrics.observeDeploy(state.app, 'succeeded', 20);
    metrics.observeBuild(state.app, 'succeeded', 12);
  }
  let bytes = 0;
  for (let i = 0; i < WARMUP; i++) bytes = Buffer.byteLength(await metrics.render());
  const times: number[] = [];
  for (let i = 0; i < RENDERS; i++) {
    const start = performance.now();
    await metrics.render();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 1000) / 1000;
  return {
    apps: APPS,
    renderMsP50: round(percentile(times, 0.5)),
    renderMsP99: round(percentile(times, 0.99)),
    bytes,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await metricsCostBench();
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(20)} ${value}`);
  console.log(JSON.stringify({ bench: 'metrics-cost', ...figures }));
}
