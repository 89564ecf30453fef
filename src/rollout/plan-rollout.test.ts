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
  maxSurge: 1,
  maxUnavailable: 0,
  previousInstances: 2,
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

test('rolling with maxSurge 1 replaces one instance at a time, each new one gated by readiness', () => {
  assert.deepEqual(planRollout('rolling', input), [
    { kind: 'admit' },
    { kind: 'start', slot: 'green', count: 1, from: 0 },
    { kind: 'awaitReady' },
    { kind: 'retireSome', count: 1 },
    { kind: 'start', slot: 'green', count: 1, from: 1 },
    { kind: 'awaitReady' },
    { kind: 'retireSome', count: 1 },
    { kind: 'switch' },
    { kind: 'retire', releaseIds: [4] },
  ]);
});

test('rolling with maxSurge 0 stops maxUnavailable old instances before starting new ones', () => {
  const steps = planRollout('rolling', {
    ...input,
    replicas: 3,
    previousInstances: 3,
    maxSurge: 0,
    maxUnavailable: 2,
  });
  assert.deepEqual(
    steps.map((s) =>
      s.kind === 'start'
        ? `start${s.from}+${s.count}`
        : s.kind === 'retireSome'
          ? `retire${s.count}`
          : s.kind,
    ),
    ['admit', 'retire2', 'start0+2', 'awaitReady', 'retire1', 'start2+1', 'awaitReady', 'switch', 'retire'],
  );
});

test('rolling up from fewer old instances retires only what runs', () => {
  const steps = planRollout('rolling', { ...input, replicas: 3, previousInstances: 1, maxSurge: 2 });
  assert.deepEqual(
    steps.map((s) =>
      s.kind === 'start'
        ? `start${s.from}+${s.count}`
        : s.kind === 'retireSome'
          ? `retire${s.count}`
          : s.kind,
    ),
    ['admit', 'start0+2', 'awaitReady', 'retire1', 'start2+1', 'awaitReady', 'switch', 'retire'],
  );
});
