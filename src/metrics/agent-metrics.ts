import { collectDefaultMetrics, Registry } from 'prom-client';
import { registerAppStateMetrics } from './app-state-metrics.js';
import { registerDeployMetrics, type DeployObserver } from './deploy-metrics.js';
import { sharedSnapshot, type MetricsSource } from './metrics-source.js';
import { registerTrafficMetrics } from './traffic-metrics.js';

/** The outcomes observeDeploy and observeBuild take. */
export type { BuildOutcome, DeployOutcome } from './deploy-metrics.js';

/** The agent's Prometheus metrics: one registry, the push side for deploys and builds, the text. */
export interface AgentMetrics extends DeployObserver {
  /** A registry of its own (never prom-client's global one), so several agents in one process never clash. */
  registry: Registry;
  /** The exposition text; reads `source` once. Rejects when the source does (the scrape fails). */
  render(): Promise<string>;
  /** The Content-Type of render()'s text (Prometheus text format 0.0.4). */
  contentType: string;
}

/**
 * Builds the agent's metrics over `source`: the router's traffic, the apps' state and instances are
 * read from it at every scrape (nothing is pushed for them); deploys and builds are pushed through
 * observeDeploy/observeBuild. The agent's own process metrics come with the prefix
 * `wandol_agent_`. Every `wandol_` series but those carries an `app` label.
 */
export function createAgentMetrics(source: MetricsSource): AgentMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wandol_agent_' });
  const snapshot = sharedSnapshot(source);
  registerTrafficMetrics(registry, snapshot);
  registerAppStateMetrics(registry, snapshot);
  const observer = registerDeployMetrics(registry, snapshot);
  return {
    registry,
    observeDeploy: observer.observeDeploy,
    observeBuild: observer.observeBuild,
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
