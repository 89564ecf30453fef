import type Docker from 'dockerode';
import {
  OOM_KILLED,
  type Endpoint,
  type Instance,
  type InstancePhase,
  type InstanceUsage,
} from '../runtime.js';
import { LABEL } from './container-spec.js';

/** The parts of `docker inspect` an Instance is made from (a subset, so tests can build one). */
export interface InspectedContainer {
  Created: string;
  State: Pick<
    Docker.ContainerInspectInfo['State'],
    'Status' | 'Running' | 'OOMKilled' | 'Pid' | 'ExitCode' | 'StartedAt' | 'FinishedAt'
  >;
  Config: { Labels: Record<string, string> | null };
  NetworkSettings: { Ports: Docker.ContainerInspectInfo['NetworkSettings']['Ports'] | null };
}

/** How long after an exit the engine may still report it as an OOM kill (see mayBeUnreportedOom). */
export const OOM_REPORT_WINDOW_MS = 3000;

/**
 * True for a container with a memory limit that was SIGKILLed (137) a moment ago and is not (yet)
 * marked OOMKilled: the engine handles the exit and the OOM event apart, and on a busy machine
 * inspect can show the exit first. Worth inspecting again shortly. Pure.
 */
export function mayBeUnreportedOom(
  info: Pick<InspectedContainer, 'State'> & { HostConfig?: { Memory?: number } },
  now: number,
): boolean {
  const finished = timeOf(info.State.FinishedAt);
  return (
    phaseOf(info.State.Status) === 'Exited' &&
    info.State.ExitCode === 137 &&
    !info.State.OOMKilled &&
    (info.HostConfig?.Memory ?? 0) > 0 &&
    finished !== undefined &&
    now - finished < OOM_REPORT_WINDOW_MS
  );
}

/** Docker's container states in the runtime port's vocabulary. Unknown states count as Starting. */
export function phaseOf(status: string): InstancePhase {
  switch (status) {
    case 'running':
    case 'paused':
      return 'Running';
    case 'exited':
    case 'dead':
    case 'removing':
      return 'Exited';
    default:
      return 'Starting'; // created, restarting
  }
}

/**
 * The Instance of an inspected container wandol labelled, or undefined when the container has no
 * wandol.instance label (not ours). Pure. The endpoint is the 127.0.0.1 binding of the labelled
 * port, present while the container runs; exit code, time and OOMKilled come with Exited.
 */
export function instanceOf(info: InspectedContainer, usage?: InstanceUsage): Instance | undefined {
  const labels = info.Config.Labels ?? {};
  const id = labels[LABEL.instance];
  if (!id) return undefined;
  const phase = phaseOf(info.State.Status);
  const endpoint = phase === 'Running' ? endpointOf(info, labels[LABEL.port]) : undefined;
  const instance: Instance = {
    id,
    app: labels[LABEL.app] ?? '',
    releaseId: Number(labels[LABEL.release] ?? 0),
    revision: labels[LABEL.revision] ?? '',
    slot: labels[LABEL.slot] ?? '',
    phase,
    startedAt: timeOf(info.State.StartedAt) ?? timeOf(info.Created) ?? Date.now(),
    ...(endpoint ? { endpoint } : {}),
    ...(info.State.Pid > 0 ? { pid: info.State.Pid } : {}),
    ...(usage ? { usage } : {}),
  };
  if (phase !== 'Exited') return instance;
  return {
    ...instance,
    exitCode: info.State.ExitCode,
    signal: null,
    exitedAt: timeOf(info.State.FinishedAt) ?? Date.now(),
    ...(info.State.OOMKilled ? { reason: OOM_KILLED } : {}),
  };
}

function endpointOf(info: InspectedContainer, port: string | undefined): Endpoint | undefined {
  if (port === undefined) return undefined;
  const bindings = info.NetworkSettings.Ports?.[`${port}/tcp`] ?? [];
  const binding = bindings.find((b) => b.HostIp === '127.0.0.1' && Number(b.HostPort) > 0);
  return binding ? { host: '127.0.0.1', port: Number(binding.HostPort) } : undefined;
}

/** Milliseconds since the epoch of a Docker time, undefined for Go's zero time ("0001-01-01..."). */
function timeOf(text: string | undefined): number | undefined {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
