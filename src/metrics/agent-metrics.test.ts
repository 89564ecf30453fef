import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEALTH_ORDER } from '../health/health-status.js';
import { createAgentMetrics } from './agent-metrics.js';
import { familyOf, parseExposition, type Exposition, type Sample } from './exposition-text.js';
import { ScriptedMetricsSource, scriptedApp } from './scripted-metrics-source.js';

// The source is scripted (ScriptedMetricsSource): the agent wires the real one.

/** Every `wandol_` family the agent exposes, agent process metrics aside. */
const EXPECTED = [
  'wandol_http_requests_total',
  'wandol_http_request_duration_seconds',
  'wandol_http_requests_in_flight',
  'wandol_deploys_total',
  'wandol_deploy_duration_seconds',
  'wandol_build_duration_seconds',
  'wandol_instance_restarts',
  'wandol_replicas_desired',
  'wandol_replicas_ready',
  'wandol_app_health',
  'wandol_instance_cpu_seconds_total',
  'wandol_instance_memory_bytes',
];

function scripted(): ScriptedMetricsSource {
  const bot = scriptedApp('bot', { requests: 10, health: 'Degraded', instances: 1 });
  bot.statusClasses = { '1xx': 0, '2xx': 6, '3xx': 1, '4xx': 2, '5xx': 1 };
  return new ScriptedMetricsSource([scriptedApp('web', { requests: 120, failed: 7 }), bot]);
}

async function scrape(source = scripted()): Promise<Exposition> {
  const metrics = createAgentMetrics(source);
  metrics.observeDeploy('web', 'succeeded', 12.5);
  metrics.observeDeploy('web', 'rolled_back', 40);
  metrics.observeBuild('web', 'failed', 3);
  return parseExposition(await metrics.render());
}

const samplesOf = (exp: Exposition, family: string): Sample[] =>
  exp.samples.filter((s) => familyOf(s.name, exp.types) === family);
const value = (exp: Exposition, name: string, labels: Record<string, string>): number | undefined =>
  exp.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;

describe('agent metrics', () => {
  it('exposes every expected series, each with an app label', async () => {
    const exp = await scrape();
    for (const family of EXPECTED) {
      const samples = samplesOf(exp, family);
      assert.ok(samples.length > 0, `${family} has samples`);
      for (const s of samples) assert.ok(s.labels.app, `${s.name} ${JSON.stringify(s.labels)} has app`);
    }
    const own = [...exp.types.keys()].filter(
      (n) => n.startsWith('wandol_') && !n.startsWith('wandol_agent_'),
    );
    assert.deepEqual(own.sort(), [...EXPECTED].sort());
    assert.ok(exp.types.has('wandol_agent_process_resident_memory_bytes'), 'agent process metrics');
  });

  it('names every counter *_total and gives histograms cumulative buckets ending at +Inf = _count', async () => {
    const exp = await scrape();
    for (const [name, type] of exp.types) {
      if (type === 'counter') assert.match(name, /_total$/, `${name} is a counter`);
      if (type !== 'histogram') continue;
      const series = new Map<string, Sample[]>();
      for (const s of exp.samples.filter((x) => x.name === `${name}_bucket`)) {
        const { le: _le, ...rest } = s.labels;
        const key = JSON.stringify(rest);
        series.set(key, [...(series.get(key) ?? []), s]);
      }
      // The agent's GC histogram has no series before the first collection: only ours must have some.
      if (EXPECTED.includes(name)) assert.ok(series.size > 0, `${name} has buckets`);
      for (const [key, buckets] of series) {
        buckets.forEach((b, i) =>
          assert.ok(i === 0 || b.value >= buckets[i - 1]!.value, `${name}${key} cumulative`),
        );
        assert.equal(buckets.at(-1)?.labels.le, '+Inf', `${name}${key} ends with +Inf`);
        assert.equal(buckets.at(-1)?.value, value(exp, `${name}_count`, JSON.parse(key)), `${name}${key}`);
      }
    }
  });

  it('has exactly one health status at 1 per app, and all six statuses', async () => {
    const exp = await scrape();
    for (const app of ['web', 'bot']) {
      const rows = exp.samples.filter((s) => s.name === 'wandol_app_health' && s.labels.app === app);
      assert.deepEqual(rows.map((r) => r.labels.status).sort(), [...HEALTH_ORDER].sort());
      assert.deepEqual(
        rows.filter((r) => r.value === 1).map((r) => r.labels.status),
        [app === 'web' ? 'Healthy' : 'Degraded'],
      );
    }
  });

  it('counts requests by class: router classes when given, else 5xx = failed and 2xx = the rest', async () => {
    const exp = await scrape();
    const total = (app: string, code_class: string) =>
      value(exp, 'wandol_http_requests_total', { app, code_class });
    assert.equal(total('web', '2xx'), 113);
    assert.equal(total('web', '5xx'), 7);
    assert.equal(total('web', '4xx'), undefined);
    assert.deepEqual(
      ['1xx', '2xx', '3xx', '4xx', '5xx'].map((c) => total('bot', c)),
      [0, 6, 1, 2, 1],
    );
    assert.equal(value(exp, 'wandol_http_requests_in_flight', { app: 'web' }), 1);
  });

  it('converts the router buckets to seconds', async () => {
    const exp = await scrape();
    const web = exp.samples.filter(
      (s) => s.name === 'wandol_http_request_duration_seconds_bucket' && s.labels.app === 'web',
    );
    assert.equal(web[0]?.labels.le, '0.001');
    assert.ok(web.some((b) => b.labels.le === '2.5'));
    // 120 requests spread over 3, 8, 20, 40, 90 and 400 ms: 20 each.
    assert.equal(value(exp, 'wandol_http_request_duration_seconds_bucket', { app: 'web', le: '0.005' }), 20);
    assert.equal(value(exp, 'wandol_http_request_duration_seconds_bucket', { app: 'web', le: '0.1' }), 100);
    assert.equal(value(exp, 'wandol_http_request_duration_seconds_count', { app: 'web' }), 120);
  });

  it('exposes pushed deploys and builds, with zeroed outcomes for every listed app', async () => {
    const exp = await scrape();
    const deploys = (app: string, outcome: string) => value(exp, 'wandol_deploys_total', { app, outcome });
    assert.equal(deploys('web', 'succeeded'), 1);
    assert.equal(deploys('web', 'rolled_back'), 1);
    assert.equal(deploys('web', 'failed'), 0);
    assert.equal(deploys('bot', 'superseded'), 0);
    assert.equal(value(exp, 'wandol_deploy_duration_seconds_count', { app: 'web' }), 2);
    assert.equal(value(exp, 'wandol_deploy_duration_seconds_sum', { app: 'web' }), 52.5);
    assert.equal(value(exp, 'wandol_build_duration_seconds_count', { app: 'web', outcome: 'failed' }), 1);
    assert.equal(value(exp, 'wandol_build_duration_seconds_count', { app: 'bot', outcome: 'succeeded' }), 0);
  });

  it('exposes instances: restarts as a gauge, CPU seconds and memory', async () => {
    const exp = await scrape();
    assert.equal(exp.types.get('wandol_instance_restarts'), 'gauge');
    assert.equal(value(exp, 'wandol_instance_restarts', { instance: 'web-r1-blue-1' }), 1);
    assert.equal(value(exp, 'wandol_instance_cpu_seconds_total', { instance: 'web-r1-blue-0' }), 1.5);
    assert.equal(
      value(exp, 'wandol_instance_memory_bytes', { app: 'bot', instance: 'bot-r1-blue-0' }),
      50_000_000,
    );
  });
});
