import { nextSlot, type RolloutInput, type RolloutStep } from './rollout-plan.js';

/**
 * Recreate: the previous release drains and stops first, then the new one starts: for apps that
 * must never run two copies at once (and for runtimes that cannot). Accepts downtime. Pure.
 */
export function planRecreate(input: RolloutInput): RolloutStep[] {
  const steps: RolloutStep[] = [];
  if (input.previousReleaseIds.length > 0)
    steps.push({ kind: 'retire', releaseIds: input.previousReleaseIds });
  steps.push({ kind: 'start', slot: nextSlot(input.liveSlot), count: input.replicas });
  steps.push({ kind: 'awaitReady' }, { kind: 'switch' });
  return steps;
}
