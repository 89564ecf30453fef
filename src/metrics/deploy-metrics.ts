import { Counter, Histogram, type Registry } from 'prom-client';
import type { AppMetricsState } from './metrics-source.js';

/** How a deploy ended, as counted in `wandol_deploys_total{outcome}`. */
export type DeployOutcome = 'succeeded' | 'failed' | 'rolled_back' | 'superseded';
/** How a build ended. */
export type BuildOutcome = 'succeeded' | 'failed';

/** Every deploy outcome, in the order their series are zeroed. */
export const DEPLOY_OUTCOMES: readonly DeployOutcome[] = ['succeeded', 'failed', 'rolled_back', 'superseded'];
/** Every build outcome. */
export const BUILD_OUTCOMES: readonly BuildOutcome[] = ['succeeded', 'failed'];

/** What the agent pushes when a deploy or a build ends. */
export interface DeployObserver {
  /** Counts a finished deploy and its duration. Never throws; a non-finite duration is not observed. */
  observeDeploy(app: string, outcome: DeployOutcome, seconds: number): void;
  /** Observes a finished build's duration. Never throws; a non-finite duration is not observed. */
  observeBuild(app: string, outcome: BuildOutcome, seconds: number): void;
}

/**
 * Keeps the pushed series of one metric in step with the apps the source lists: an app listed for
 * the first time (or first observed) gets zeroed series, so that `increase()` sees its first deploy;
 * an app no longer listed loses them (`app rm`).
 */
function seriesSync(init: (app: string) => void, remove: (app: string) => void) {
  const known = new Set<string>();
  const ensure = (app: string): void => {
    if (known.has(app)) return;
    init(app);
    known.add(app);
  };
  return {
    ensure,
    sync(apps: AppMetricsState[]): void {
      const listed = new Set(apps.map((s) => s.app));
      for (const app of listed) ensure(app);
      for (const app of known) {
        if (listed.has(app)) continue;
        remove(app);
        known.delete(app);
      }
    },
  };
}

/** `seconds` as an observation: negative clamps to 0, non-finite is left out. Pure. */
function duration(seconds: number): number | undefined {
  return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined;
}

/**
 * Registers `wandol_deploys_total{app,outcome}`, `wandol_deploy_duration_seconds{app}` and
 * `wandol_build_duration_seconds{app,outcome}` on `registry`. Their values are pushed through the
 * returned observer; at scrape time `snapshot` only adds or drops whole apps.
 */
export function registerDeployMetrics(
  registry: Registry,
  snapshot: () => Promise<AppMetricsState[]>,
): DeployObserver {
  const deploys: Counter<'app' | 'outcome'> = new Counter({
    name: 'wandol_deploys_total',
    help: 'Deploys that ended, by outcome (succeeded, failed, rolled_back, superseded).',
    labelNames: ['app', 'outcome'] as const,
    registers: [registry],
    collect: async () => deploySeries.sync(await snapshot()),
  });
  const deploySeries = seriesSync(
    (app) => DEPLOY_OUTCOMES.forEach((outcome) => deploys.inc({ app, outcome }, 0)),
    (app) => DEPLOY_OUTCOMES.forEach((outcome) => deploys.remove({ app, outcome })),
  );
  const deployTime: Histogram<'app'> = new Histogram({
    name: 'wandol_deploy_duration_seconds',
    help: 'Time from a deploy being queued to its end (any outcome), in seconds.',
    labelNames: ['app'] as const,
    buckets: [1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1200],
    registers: [registry],
    collect: async () => deployTimeSeries.sync(await snapshot()),
  });
  const deployTimeSeries = seriesSync(
    (app) => deployTime.zero({ app }),
    (app) => deployTime.remove({ app }),
  );
  const buildTime: Histogram<'app' | 'outcome'> = new Histogram({
    name: 'wandol_build_duration_seconds',
    help: 'Time a build took, by outcome (succeeded, failed), in seconds.',
    labelNames: ['app', 'outcome'] as const,
    buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1200, 3600],
    registers: [registry],
    collect: async () => buildTimeSeries.sync(await snapshot()),
  });
  const buildTimeSeries = seriesSync(
    (app) => BUILD_OUTCOMES.forEach((outcome) => buildTime.zero({ app, outcome })),
    (app) => BUILD_OUTCOMES.forEach((outcome) => buildTime.remove({ app, outcome })),
  );
  return {
    observeDeploy(app, outcome, seconds) {
      deploySeries.ensure(app);
      deployTimeSeries.ensure(app);
      deploys.inc({ app, outcome });
      const s = duration(seconds);
      if (s !== undefined) deployTime.observe({ app }, s);
    },
    observeBuild(app, outcome, seconds) {
      const s = duration(seconds);
      if (s === undefined) return;
      buildTimeSeries.ensure(app);
      buildTime.observe({ app, outcome }, s);
    },
  };
}
