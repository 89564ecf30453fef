// Autoscaling on requests per second on real parts: a real agent and data plane, the router's
// per-instance request counts, bounded load on 127.0.0.1. The autoscaler evaluates every second here
// (15 s by default); nothing asserts speed, only that the request rate drives a scale-out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sampleApp, startTestAgent, type TestAgent } from '../support/agent-harness.js';
import { startLoad } from '../support/load.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const dir = tempDir();
let t: TestAgent;

before(async () => {
  t = await startTestAgent(`${dir.path}/data`, undefined, { autoscaleIntervalMs: 1000 });
});
after(async () => {
  await t?.down();
  dir.cleanup();
});

test('scales out on the request rate the router counts per instance', async () => {
  // CPU at a 100 % target of a whole core never asks for more here: the request rate must.
  const yaml = [
    'resources: { cpu: 1000m }',
    'autoscale: { min: 1, max: 2, targetCPUUtilization: 100, targetRequestsPerSecond: 2 }',
  ].join('\n');
  const a = await sampleApp(t, dir.path, 'busy', yaml);
  // At most ~40 req/s from one loop, bounded; even a slow machine sends well above 2 req/s.
  const load = startLoad(a.url, { concurrency: 1, pauseMs: 25, maxRequests: 3_000 });
  let failedRequests = '';
  try {
    const scaled = await waitFor(
      'a ScaledOut event',
      async () => (await t.client.events({ app: 'busy', limit: 50 })).find((e) => e.type === 'ScaledOut'),
      30_000,
      200,
    );
    assert.match(scaled.message, /^scaled out from 1 to 2: .*requests [\d.]+\/s of 2\/s target/);
    const rps = (scaled.data.metrics as { rps?: { value: number } }).rps;
    assert.ok(rps !== undefined && rps.value > 2, `request rate above the target: ${JSON.stringify(rps)}`);
    await waitFor(
      '2 instances ready',
      async () => (await t.client.status('busy')).replicas.ready === 2,
      30_000,
    );
  } finally {
    const result = await load.stop();
    failedRequests = result.failed === 0 ? '' : `${result.failed} failed: ${result.failures.join('; ')}`;
  }
  assert.equal(failedRequests, '');
});
