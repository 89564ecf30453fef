import type { AppSpec, Probe } from '../config/app-spec.js';

/** The probes an instance is actually watched with. */
export interface EffectiveProbes {
  startup?: Probe;
  /** undefined: ready as soon as the instance runs (a worker without a route and without probes). */
  readiness?: Probe;
  liveness?: Probe;
}

const DEFAULT_TCP: Omit<Probe, 'action'> = {
  initialDelayMs: 0,
  periodMs: 1000,
  timeoutMs: 1000,
  successThreshold: 1,
  failureThreshold: 3,
};

/**
 * The spec's probes, with wandol's default readiness when none is given: a TCP check of the
 * instance's port when the app is routed (so traffic never reaches a port that is not open);
 * a worker without a route and without a readiness probe is ready once it runs. Pure.
 */
export function effectiveProbes(spec: AppSpec): EffectiveProbes {
  const readiness: Probe | undefined =
    spec.probes.readiness ?? (spec.route ? { ...DEFAULT_TCP, action: { kind: 'tcpSocket' } } : undefined);
  return { startup: spec.probes.startup, readiness, liveness: spec.probes.liveness };
}
