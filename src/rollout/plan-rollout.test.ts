import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planRollout } from './plan-rollout.js';
import type { RolloutInput } from './rollout-plan.js';

const input: RolloutInput = {
  replicas: 2,
  previousReleaseIds: [4],
  liveSlot: 'blue',
  scaleDownDelayMs: 30_000,
  parallelReleases: true,
};

test('blue-green starts the other slot, switches once ready, keeps the old warm, then retires it', () => {
  assert.deepEqual(planRollout('blue-green', input), [
    { kind: 'start', slot: 'green', count: 2 },
    { kind: 'awaitReady' },
    { kind: 'switch' },
    { kind: 'keepWarm', ms: 30_000 },
    { kind: 'retire', releaseIds: [4] },
  ]);
});

test('the first release has nothing to retire', () => {
  assert.deepEqual(planRollout('blue-green', { ...input, previousReleaseIds: [], liveSlot: null }), [
    { kind: 'start', slot: 'blue', count: 2 },
    { kind: 'awaitReady' },
    { kind: 'switch' },
  ]);
});

test('recreate stops the old release before starting the new one', () => {
  const steps = planRollout('recreate', input).map((s) => s.kind);
  assert.deepEqual(steps, ['retire', 'start', 'awaitReady', 'switch']);
});

test('a runtime that cannot run two releases at once gets recreate', () => {
  const steps = planRollout('blue-green', { ...input, parallelReleases: false }).map((s) => s.kind);
  assert.deepEqual(steps, ['retire', 'start', 'awaitReady', 'switch']);
});
