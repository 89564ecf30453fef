import type { AgentService } from '../api/agent-service.js';
import type { EventRecord } from '../api/wire.js';
import { createAgentMetrics, type AgentMetrics } from '../metrics/agent-metrics.js';
import type { MetricsSource } from '../metrics/metrics-source.js';
import type { RouterControl } from '../router/route.js';

/** The metrics source of the agent: each app's status, instances and router counters at scrape time. */
function metricsSource(service: AgentService, router: RouterControl): MetricsSource {
  return {
    apps: async () =>
      Promise.all(
        (await service.statuses()).map(async (s) => ({
          app: s.name,
          health: s.health,
          replicasDesired: s.replicas.desired,
          replicasReady: s.replicas.ready,
          traffic: await router.traffic(s.name).catch(() => undefined),
          instances: s.instances.map((i) => ({
            id: i.id,
            release: i.releaseId,
            restarts: i.restarts,
            cpuSeconds: i.usage?.cpuSeconds,
            memoryBytes: i.usage?.memoryBytes,
          })),
        })),
      ),
  };
}

const OUTCOMES: Record<string, 'succeeded' | 'failed' | 'superseded' | 'rolled_back'> = {
  Deployed: 'succeeded',
  DeployFailed: 'failed',
  BuildFailed: 'failed',
  Superseded: 'superseded',
  RolledBack: 'rolled_back',
};

/**
 * Creates the agent's Prometheus metrics and feeds deploy and build outcomes to them from the event
 * stream, so that the sync domain never imports metrics. Returns the metrics and an unsubscribe.
 */
export function agentMetrics(
  service: AgentService,
  router: RouterControl,
  subscribe: (listener: (event: EventRecord) => void) => () => void,
): { metrics: AgentMetrics; stop: () => void } {
  const metrics = createAgentMetrics(metricsSource(service, router));
  const stop = subscribe((event) => {
    const outcome = OUTCOMES[event.type];
    if (!outcome || !event.app || event.releaseId === null) return;
    void observe(service, metrics, event.app, event.releaseId, outcome).catch(() => undefined);
  });
  return { metrics, stop };
}

async function observe(
  service: AgentService,
  metrics: AgentMetrics,
  app: string,
  releaseId: number,
  outcome: (typeof OUTCOMES)[string],
): Promise<void> {
  const release = await service.release(app, releaseId);
  const seconds = release.finishedAt
    ? (Date.parse(release.finishedAt) - Date.parse(release.startedAt)) / 1000
    : NaN;
  // A rollback counts, but its release's duration was counted when it went live.
  metrics.observeDeploy(app, outcome, outcome === 'rolled_back' ? NaN : seconds);
  const building = release.timings.Building;
  if (building === undefined || outcome === 'rolled_back') return;
  const built = release.artifact !== null && release.error?.code !== 'BUILD_FAILED';
  metrics.observeBuild(app, built ? 'succeeded' : 'failed', building / 1000);
}
