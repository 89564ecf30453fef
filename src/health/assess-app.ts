import type { Health } from './health-status.js';

/** What the health of an app is judged from. */
export interface AppHealthInput {
  /** A release is live (has been switched to). */
  live: boolean;
  /** A deploy is under way (queued, building or starting). */
  deploying: boolean;
  desiredReplicas: number;
  /** Instances of the live release. */
  instances: { ready: boolean; running: boolean; crashLoop?: string }[];
  lastError: { code: string; message: string } | null;
}

/**
 * The app's health with its one-line reason, in Argo CD's vocabulary. Pure.
 * - no live release: Progressing while the first deploy runs, Degraded when it failed, else Missing;
 * - live: Healthy when every desired replica is ready, Suspended when scaled to zero, Degraded when
 *   an instance is in CrashLoopBackOff or none is ready, Progressing when some are (a replacement
 *   is starting).
 */
export function assessApp(input: AppHealthInput): Health {
  if (!input.live) {
    if (input.deploying) return { status: 'Progressing', reason: 'first release is being deployed' };
    if (input.lastError)
      return { status: 'Degraded', reason: `no release is live: ${input.lastError.message}` };
    return { status: 'Missing', reason: 'no release is live yet' };
  }
  if (input.desiredReplicas === 0) return { status: 'Suspended', reason: 'scaled to 0 replicas' };
  const ready = input.instances.filter((i) => i.ready).length;
  const looping = input.instances.find((i) => i.crashLoop);
  if (looping?.crashLoop)
    return {
      status: 'Degraded',
      reason: `${ready}/${input.desiredReplicas} replicas ready; ${looping.crashLoop}`,
    };
  if (ready >= input.desiredReplicas) {
    return { status: 'Healthy', reason: `${ready}/${input.desiredReplicas} replicas ready` };
  }
  if (ready === 0) return { status: 'Degraded', reason: `0/${input.desiredReplicas} replicas ready` };
  return { status: 'Progressing', reason: `${ready}/${input.desiredReplicas} replicas ready` };
}
