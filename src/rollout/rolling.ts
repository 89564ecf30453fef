import { nextSlot, type RolloutInput, type RolloutStep } from './rollout-plan.js';

/**
 * Rolling update: new instances come up in batches of `maxSurge` (each gated by readiness, its
 * ready instances taking traffic beside the old ones), and as many old instances drain and stop
 * after each batch; with `maxSurge: 0`, `maxUnavailable` old instances go first. Pure.
 */
export function planRolling(input: RolloutInput): RolloutStep[] {
  const slot = nextSlot(input.liveSlot);
  const steps: RolloutStep[] = [{ kind: 'admit' }];
  const batch = Math.max(1, input.maxSurge > 0 ? input.maxSurge : input.maxUnavailable);
  let started = 0;
  let oldLeft = input.previousInstances;
  while (started < input.replicas) {
    const count = Math.min(batch, input.replicas - started);
    const retire = Math.min(count, oldLeft);
    const start: RolloutStep = { kind: 'start', slot, count, from: started };
    if (input.maxSurge > 0) steps.push(start, { kind: 'awaitReady' });
    if (retire > 0) steps.push({ kind: 'retireSome', count: retire });
    if (input.maxSurge <= 0) steps.push(start, { kind: 'awaitReady' });
    started += count;
    oldLeft -= retire;
  }
  steps.push({ kind: 'switch' });
  if (input.previousReleaseIds.length > 0)
    steps.push({ kind: 'retire', releaseIds: input.previousReleaseIds });
  return steps;
}
