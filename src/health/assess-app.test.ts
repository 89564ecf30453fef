import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessApp, type AppHealthInput } from './assess-app.js';
import { worstHealth } from './health-status.js';

const base: AppHealthInput = {
  live: true,
  deploying: false,
  desiredReplicas: 2,
  instances: [],
  lastError: null,
};
const up = { ready: true, running: true };
const down = { ready: false, running: true };

test('app health follows its live instances', () => {
  const cases: [Partial<AppHealthInput>, string][] = [
    [{ live: false }, 'Missing'],
    [{ live: false, deploying: true }, 'Progressing'],
    [{ live: false, lastError: { code: 'BUILD_FAILED', message: 'build failed' } }, 'Degraded'],
    [{ instances: [up, up] }, 'Healthy'],
    [{ instances: [up, down] }, 'Progressing'],
    [{ instances: [down, down] }, 'Degraded'],
    [{ instances: [] }, 'Degraded'],
    [{ desiredReplicas: 0 }, 'Suspended'],
    [{ instances: [up, { ready: false, running: false, crashLoop: 'CrashLoopBackOff' }] }, 'Degraded'],
  ];
  for (const [input, expected] of cases) {
    assert.equal(assessApp({ ...base, ...input }).status, expected, JSON.stringify(input));
  }
});

test('an aggregate takes the worst of its parts, in Argo CD order', () => {
  const h = (status: Parameters<typeof worstHealth>[0][number]['status']) => ({ status, reason: status });
  assert.equal(worstHealth([h('Healthy'), h('Progressing'), h('Suspended')]).status, 'Progressing');
  assert.equal(worstHealth([h('Degraded'), h('Missing')]).status, 'Degraded');
  assert.equal(worstHealth([h('Unknown'), h('Degraded')]).status, 'Unknown');
  assert.equal(worstHealth([]).status, 'Healthy');
});
