import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonLogger } from '../core/logger.js';
import { waitFor } from '../../test/support/wait-for.js';
import { Autoscaler, type AutoscaleSpec, type MetricsSnapshot } from './autoscaler.js';

// The metrics here are scripted snapshots and the clock is a fake one: these tests cover the loop's
// bookkeeping (CPU rates between readings, when scaleTo is called, failures). Real processes are
// measured under load in the bench.
const S = 1000;
const SPEC: AutoscaleSpec = {
  min: 1,
  max: 5,
  targetCPUUtilization: 50,
  scaleDownStabilizationMs: 300 * S,
  cpuMillis: 500,
  memoryBytes: 100 * 2 ** 20,
};

interface Harness {
  scaler: Autoscaler;
  clock: { t: number; now(): number };
  scaled: { replicas: number; reason: string; metrics: object }[];
  /** The snapshots the metrics port returns, in order (the last one repeats). */
  script: MetricsSnapshot[];
  /** What the metrics port answers; by default the next scripted snapshot. */
  read: () => MetricsSnapshot;
  failScale?: Error | undefined;
}

function harness(spec: AutoscaleSpec = SPEC, intervalMs?: number, log: string[] = []): Harness {
  const clock = { t: 0, now: () => clock.t };
  const h: Harness = {
    clock,
    scaled: [],
    script: [],
    read: () => {
      const next = h.script.length > 1 ? h.script.shift() : h.script[0];
      if (!next) throw new Error('no scripted metrics');
      return next;
    },
    scaler: new Autoscaler({
      app: 'hello',
      spec,
      clock,
      ...(intervalMs === undefined ? {} : { intervalMs }),
      logger: jsonLogger((line) => log.push(line), 'debug'),
      metrics: async () => h.read(),
      scaleTo: async (replicas, reason, metrics) => {
        if (h.failScale) throw h.failScale;
        h.scaled.push({ replicas, reason, metrics });
      },
    }),
  };
  return h;
}

/** One instance that has used `cpuSeconds` of CPU by `at` (ms). */
const inst = (id: string, cpuSeconds: number, at: number, ready = true) => ({
  id,
  ready,
  cpuSeconds,
  sampledAt: at,
});

/** One instance the router has sent `requestsTotal` requests to by `at` (ms); no CPU reading. */
const served = (id: string, requestsTotal: number, at?: number) => ({
  id,
  ready: true,
  requestsTotal,
  ...(at === undefined ? {} : { requestsSampledAt: at }),
});

const RPS_SPEC: AutoscaleSpec = { ...SPEC, targetRequestsPerSecond: 10 };

describe('Autoscaler', () => {
  it('needs two readings per instance, then scales out with the reason and the numbers', async () => {
    const h = harness();
    h.script = [{ current: 1, instances: [inst('a', 0, 0)] }];
    const first = await h.scaler.tick();
    assert.equal(first.desired, 1);
    assert.match(first.reason, /^no metrics yet across 1 instance \(1 not yet sampled\)/);
    assert.equal(h.scaled.length, 0);

    // 7.5 CPU seconds in 15 s = 500m = 100 % of the 500m request, twice the 50 % target.
    h.clock.t = 15 * S;
    h.script = [{ current: 1, instances: [inst('a', 7.5, 15 * S)] }];
    const second = await h.scaler.tick();
    assert.equal(second.desired, 2);
    assert.equal(h.scaled.length, 1);
    assert.equal(h.scaled[0]?.replicas, 2);
    assert.equal(h.scaled[0]?.reason, 'cpu 100% of 50% target across 1 instance → 2');
    assert.equal((h.scaled[0]?.metrics as { cpu: { value: number } }).cpu.value, 100);
  });

  it('prime records the counters without deciding, so the first tick already has a rate', async () => {
    const h = harness();
    h.script = [
      { current: 1, instances: [inst('a', 0, 0)] },
      { current: 1, instances: [inst('a', 7.5, 15 * S)] },
    ];
    await h.scaler.prime();
    assert.equal(h.scaled.length, 0);
    h.clock.t = 15 * S;
    assert.equal((await h.scaler.tick()).desired, 2);
  });

  it('prime says how many instances it found a sample for (start reads again while none)', async () => {
    const h = harness();
    h.script = [
      { current: 1, instances: [{ id: 'a', ready: true }] },
      { current: 1, instances: [inst('a', 0, 0)] },
    ];
    assert.equal(await h.scaler.prime(), 0, 'a release that just went live has no usage sample yet');
    assert.equal(await h.scaler.prime(), 1);
  });

  it('counts a new instance without a reading as missing (0 % on a scale-up)', async () => {
    const h = harness();
    h.script = [{ current: 2, instances: [inst('a', 0, 0)] }];
    await h.scaler.tick();
    h.clock.t = 15 * S;
    h.script = [{ current: 2, instances: [inst('a', 7.5, 15 * S), inst('b', 0.1, 15 * S, false)] }];
    const d = await h.scaler.tick();
    // a at 100 %, b missing → [100, 0] → on target: keep 2
    assert.equal(d.desired, 2);
    assert.equal(h.scaled.length, 0);
  });

  it('treats a counter that went back (a restarted process) as a missing reading', async () => {
    const h = harness();
    h.script = [{ current: 1, instances: [inst('a', 50, 0)] }];
    await h.scaler.tick();
    h.clock.t = 15 * S;
    h.script = [{ current: 1, instances: [inst('a', 1, 15 * S)] }];
    assert.match((await h.scaler.tick()).reason, /^no metrics yet/);
    h.clock.t = 30 * S;
    h.script = [{ current: 1, instances: [inst('a', 8.5, 30 * S)] }];
    assert.equal((await h.scaler.tick()).desired, 2, 'the restarted counter is the new base');
  });

  it('turns request counts into a rate between two readings and scales out above the target', async () => {
    const h = harness(RPS_SPEC);
    h.script = [{ current: 1, instances: [served('a', 1000, 0)] }];
    const first = await h.scaler.tick();
    assert.equal(first.desired, 1);
    assert.match(first.reason, /^no metrics yet/, 'a first count gives no rate');
    assert.equal(first.metrics.rps, undefined);

    // 450 requests in 15 s = 30 req/s, three times the 10 req/s target.
    h.clock.t = 15 * S;
    h.script = [{ current: 1, instances: [served('a', 1450, 15 * S)] }];
    const second = await h.scaler.tick();
    assert.equal(second.desired, 3);
    assert.equal(second.metrics.rps?.value, 30);
    assert.deepEqual(
      h.scaled.map((s) => s.replicas),
      [3],
    );
    assert.match(h.scaled[0]?.reason ?? '', /^requests 30\/s of 10\/s target across 1 instance/);
  });

  it('dates a count by the clock by default; a reading that is not newer keeps the base', async () => {
    const h = harness(RPS_SPEC);
    h.script = [{ current: 1, instances: [served('a', 0)] }];
    await h.scaler.tick();
    h.clock.t = 15 * S;
    h.script = [{ current: 1, instances: [served('a', 90, 0)] }]; // stale: read at 0 again
    assert.match((await h.scaler.tick()).reason, /^no metrics yet/);
    h.clock.t = 30 * S;
    h.script = [{ current: 1, instances: [served('a', 150)] }]; // 150 since 0 s: 5 req/s
    const d = await h.scaler.tick();
    assert.equal(d.metrics.rps?.value, 5, 'the rate spans 30 s from the first reading');
    assert.equal(d.desired, 1);
  });

  it('treats a request counter that went back (a target created again) as a missing reading', async () => {
    const h = harness(RPS_SPEC);
    h.script = [{ current: 1, instances: [served('a', 5000, 0)] }];
    await h.scaler.tick();
    h.clock.t = 15 * S;
    h.script = [{ current: 1, instances: [served('a', 20, 15 * S)] }];
    const reset = await h.scaler.tick();
    assert.match(reset.reason, /^no metrics yet/);
    assert.equal(h.scaled.length, 0);
    h.clock.t = 30 * S;
    h.script = [{ current: 1, instances: [served('a', 320, 30 * S)] }];
    const d = await h.scaler.tick();
    assert.equal(d.metrics.rps?.value, 20, 'the restarted counter is the new base');
    assert.equal(d.desired, 2);
  });

  it('does not scale in while the request rate cannot be read', async () => {
    const h = harness({ ...RPS_SPEC, scaleDownStabilizationMs: 0 });
    const idle = (at: number) => ({ current: 3, instances: ['a', 'b', 'c'].map((id) => inst(id, 1, at)) });
    h.script = [idle(0)];
    await h.scaler.tick();
    h.clock.t = 15 * S;
    h.script = [idle(15 * S)];
    const d = await h.scaler.tick();
    assert.equal(d.desired, 3);
    assert.match(d.reason, /but no request rate samples: no scale-down without them/);
    assert.equal(h.scaled.length, 0);
  });

  it('scales on memory when the spec asks for it', async () => {
    const h = harness({ ...SPEC, targetMemoryUtilization: 40 });
    h.script = [
      { current: 2, instances: ['a', 'b'].map((id) => ({ id, ready: true, memoryBytes: 80 * 2 ** 20 })) },
    ];
    const d = await h.scaler.tick();
    // 80 % of a 40 % target → 4; CPU has no readings but a scale-up does not wait for it.
    assert.equal(d.desired, 4);
    assert.match(h.scaled[0]?.reason ?? '', /memory 80% of 40% target/);
  });

  it('does not count a failed scaleTo against the scale-up rate limit', async () => {
    const h = harness({ ...SPEC, max: 20 });
    const busy = (at: number, used: number) => ({ current: 1, instances: [inst('a', used, at)] });
    h.script = [busy(0, 0)];
    await h.scaler.tick();
    h.failScale = new Error('runtime busy');
    h.clock.t = 15 * S;
    h.script = [busy(15 * S, 75)]; // 10 cores: 1000 %
    await assert.rejects(h.scaler.tick(), /runtime busy/);
    h.failScale = undefined;
    h.clock.t = 20 * S;
    h.script = [busy(20 * S, 100)];
    const d = await h.scaler.tick();
    assert.equal(d.desired, 5, 'still 1 → 5: the failed attempt added nothing');
    assert.deepEqual(
      h.scaled.map((s) => s.replicas),
      [5],
    );
  });

  it('uses an updated spec from the next tick on', async () => {
    const h = harness();
    h.script = [{ current: 3, instances: [] }];
    h.scaler.updateSpec({ ...SPEC, max: 2 });
    assert.equal((await h.scaler.tick()).desired, 2);
    assert.equal(h.scaled[0]?.reason, '3 instances, above the max of 2 → 2');
  });

  it('start() ticks every interval until stop()', async () => {
    const h = harness(SPEC, 5);
    let reads = 0;
    let used = 0;
    // Every reading advances the fake clock by 15 s and the CPU counter by a full core (200 %).
    h.read = () => {
      reads++;
      h.clock.t += 15 * S;
      used += 15;
      return { current: 1 + h.scaled.length, instances: [inst('a', used, h.clock.t)] };
    };
    h.scaler.start();
    h.scaler.start(); // idempotent
    await waitFor('a scale-out', () => h.scaled.length > 0);
    await h.scaler.stop();
    const after = reads;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(reads, after, 'no tick after stop()');
    assert.equal(h.scaled[0]?.replicas, 4, '200 % of a 50 % target: 1 → 4');
  });

  it('logs a failing tick and keeps going', async () => {
    const log: string[] = [];
    const h = harness(SPEC, 5, log);
    let calls = 0;
    h.read = () => {
      calls++;
      // Call 1 is the priming read at start (it finds a sample: no retry); call 2 the first tick.
      if (calls === 2) throw new Error('metrics unavailable');
      return { current: 1, instances: [inst('a', 0, 0)] };
    };
    h.scaler.start();
    await waitFor('a tick after the failing one', () => calls >= 4);
    await h.scaler.stop();
    const failed = log.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.level === 'warn');
    assert.deepEqual(failed && [failed.msg, failed.app, failed.err], [
      'Autoscale tick failed',
      'hello',
      { message: 'metrics unavailable' },
    ]);
  });
});
