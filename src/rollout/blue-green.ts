import { nextSlot, type RolloutInput, type RolloutStep } from './rollout-plan.js';

/**
 * Blue-green: the new release starts beside the live one, gets traffic only once every instance is
 * ready, and the previous release stays warm for `scaleDownDelay` before it drains and stops. Pure.
 */
export function planBlueGreen(input: RolloutInput): RolloutStep[] {
  const steps: RolloutStep[] = [
    { kind: 'start', slot: nextSlot(input.liveSlot), count: input.replicas },
    { kind: 'awaitReady' },
    { kind: 'switch' },
  ];
  if (input.previousReleaseIds.length > 0) {
    steps.push({ kind: 'keepWarm', ms: input.scaleDownDelayMs });
    steps.push({ kind: 'retire', releaseIds: input.previousReleaseIds });
  }
  return steps;
}
