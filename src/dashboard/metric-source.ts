import type { AppStatus } from '../api/wire.js';
import type { TrafficSnapshot } from '../router/route.js';
import { emptyHistogram } from '../router/latency-histogram.js';
import type { AppCounters } from './metric-sampler.js';

/** What the agent's metric source reads: the apps' status and the router's counters. */
export interface MetricSourcePorts {
  statuses(): Promise<AppStatus[]>;
  /** The app's router counters; undefined when the router has no route for it. */
  traffic(app: string): Promise<TrafficSnapshot | undefined>;
}

/**
 * The MetricSampler's source over the agent: per app, the router's counters, the CPU seconds of its
 * instances as one counter that only grows (instances that come and go would otherwise make the sum
 * jump back), the memory of its running instances and its replicas. Rejects only when `statuses`
 * does; an app whose counters cannot be read is reported with zero traffic.
 */
export function agentMetricSource(ports: MetricSourcePorts): () => Promise<AppCounters[]> {
  const cpu = new CpuCounter();
  return async () => {
    const statuses = await ports.statuses();
    cpu.keepOnly(new Set(statuses.flatMap((s) => s.instances.map((i) => i.id))));
    return Promise.all(
      statuses.map(async (status): Promise<AppCounters> => {
        const traffic = await ports.traffic(status.name).catch(() => undefined);
        const running = status.instances.filter((i) => i.phase !== 'Exited');
        return {
          app: status.name,
          requests: traffic?.requests ?? 0,
          failed: traffic?.failed ?? 0,
          latency: traffic?.latency ?? emptyHistogram(),
          cpuSeconds: cpu.add(status),
          memoryBytes: running.reduce((sum, i) => sum + (i.usage?.memoryBytes ?? 0), 0),
          ready: status.replicas.ready,
          desired: status.replicas.desired,
        };
      }),
    );
  };
}

/** Per app, the sum of every increase of its instances' CPU seconds seen so far. */
class CpuCounter {
  private readonly byInstance = new Map<string, number>();
  private readonly byApp = new Map<string, number>();

  add(status: AppStatus): number {
    let total = this.byApp.get(status.name) ?? 0;
    for (const instance of status.instances) {
      const now = instance.usage?.cpuSeconds;
      if (now === undefined) continue;
      const before = this.byInstance.get(instance.id) ?? 0;
      if (now > before) total += now - before;
      this.byInstance.set(instance.id, Math.max(now, before));
    }
    this.byApp.set(status.name, total);
    return total;
  }

  /** Forgets instances that are gone (their CPU stays counted in their app's total). */
  keepOnly(ids: Set<string>): void {
    for (const id of this.byInstance.keys()) if (!ids.has(id)) this.byInstance.delete(id);
  }
}
