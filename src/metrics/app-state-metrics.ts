import { Counter, Gauge, type Registry } from 'prom-client';
import { HEALTH_ORDER } from '../health/health-status.js';
import { collectFrom, finite, increment } from './collect-from.js';
import type { AppMetricsState, InstanceMetricsState } from './metrics-source.js';

type Snapshot = () => Promise<AppMetricsState[]>;

/** A gauge labelled by app whose value is read from each app's state at scrape time. */
function appGauge(
  registry: Registry,
  snapshot: Snapshot,
  name: string,
  help: string,
  read: (s: AppMetricsState) => number,
): void {
  new Gauge({
    name,
    help,
    labelNames: ['app'] as const,
    registers: [registry],
    collect: collectFrom(snapshot, (gauge: Gauge<'app'>, apps) => {
      for (const state of apps) {
        const v = finite(read(state));
        if (v !== undefined) gauge.set({ app: state.app }, v);
      }
    }),
  });
}

/** Calls `each` for every instance of every app, with the app's name. */
function forInstances(
  apps: AppMetricsState[],
  each: (app: string, instance: InstanceMetricsState) => void,
): void {
  for (const state of apps) for (const instance of state.instances) each(state.app, instance);
}

/**
 * Registers what the apps are now, read through `snapshot` at scrape time: replicas desired and
 * ready, `wandol_app_health{app,status}` (1 for the current status, 0 for the five others, as
 * kube-state-metrics does) and per instance its restarts, CPU seconds and memory.
 */
export function registerAppStateMetrics(registry: Registry, snapshot: Snapshot): void {
  appGauge(
    registry,
    snapshot,
    'wandol_replicas_desired',
    'Replicas the app should run.',
    (s) => s.replicasDesired,
  );
  appGauge(
    registry,
    snapshot,
    'wandol_replicas_ready',
    'Replicas of the app that are ready.',
    (s) => s.replicasReady,
  );
  new Gauge({
    name: 'wandol_app_health',
    help: `The app's health: 1 for its current status, 0 for the others (${HEALTH_ORDER.join(', ')}).`,
    labelNames: ['app', 'status'] as const,
    registers: [registry],
    collect: collectFrom(snapshot, (gauge: Gauge<'app' | 'status'>, apps) => {
      for (const state of apps) {
        for (const status of HEALTH_ORDER)
          gauge.set({ app: state.app, status }, status === state.health ? 1 : 0);
      }
    }),
  });
  new Gauge({
    // A gauge, not a counter: the agent's count is a crash-loop streak that goes back to 1 after a
    // stable run, and a replaced instance starts again from 0 under a new id.
    name: 'wandol_instance_restarts',
    help: 'Restarts of the instance in its current crash-loop streak (goes back to 1 after a stable run).',
    labelNames: ['app', 'instance'] as const,
    registers: [registry],
    collect: collectFrom(snapshot, (gauge: Gauge<'app' | 'instance'>, apps) => {
      forInstances(apps, (app, i) => {
        const v = finite(i.restarts);
        if (v !== undefined) gauge.set({ app, instance: i.id }, v);
      });
    }),
  });
  new Counter({
    name: 'wandol_instance_cpu_seconds_total',
    help: "CPU time used by the instance's process (runtimes that measure it).",
    labelNames: ['app', 'instance'] as const,
    registers: [registry],
    collect: collectFrom(snapshot, (counter: Counter<'app' | 'instance'>, apps) => {
      forInstances(apps, (app, i) => {
        const v = increment(i.cpuSeconds);
        if (v !== undefined) counter.inc({ app, instance: i.id }, v);
      });
    }),
  });
  new Gauge({
    name: 'wandol_instance_memory_bytes',
    help: "Resident memory of the instance's process (runtimes that measure it).",
    labelNames: ['app', 'instance'] as const,
    registers: [registry],
    collect: collectFrom(snapshot, (gauge: Gauge<'app' | 'instance'>, apps) => {
      forInstances(apps, (app, i) => {
        const v = finite(i.memoryBytes);
        if (v !== undefined) gauge.set({ app, instance: i.id }, v);
      });
    }),
  });
}
