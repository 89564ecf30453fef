import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAgentMetrics } from './agent-metrics.js';
import { parseExposition } from './exposition-text.js';
import { ScriptedMetricsSource, scriptedApp } from './scripted-metrics-source.js';

// The source is scripted (ScriptedMetricsSource): the agent wires the real one.

const appsIn = async (render: () => Promise<string>, name: string): Promise<string[]> => {
  const exp = parseExposition(await render());
  return [...new Set(exp.samples.filter((s) => s.name === name).map((s) => s.labels.app ?? ''))].sort();
};

describe('agent metrics at scrape time', () => {
  it('reads the source once per scrape', async () => {
    const source = new ScriptedMetricsSource([scriptedApp('web')]);
    const metrics = createAgentMetrics(source);
    await metrics.render();
    assert.equal(source.calls, 1);
    await Promise.all([metrics.render(), metrics.render()]);
    assert.ok(source.calls <= 3);
  });

  it('follows the source: new apps appear, removed apps lose every series, pushed ones too', async () => {
    const source = new ScriptedMetricsSource([scriptedApp('web'), scriptedApp('bot')]);
    const metrics = createAgentMetrics(source);
    metrics.observeDeploy('bot', 'failed', 5);
    metrics.observeBuild('bot', 'succeeded', 2);
    assert.deepEqual(await appsIn(metrics.render, 'wandol_deploys_total'), ['bot', 'web']);
    source.states = [scriptedApp('web'), scriptedApp('api')];
    const text = await metrics.render();
    assert.doesNotMatch(text, /app="bot"/);
    assert.deepEqual(await appsIn(metrics.render, 'wandol_deploys_total'), ['api', 'web']);
    assert.deepEqual(await appsIn(metrics.render, 'wandol_replicas_ready'), ['api', 'web']);
  });

  it('leaves out the traffic series of an app the router has no route for', async () => {
    const quiet = scriptedApp('quiet', { health: 'Missing' });
    delete quiet.traffic;
    const source = new ScriptedMetricsSource([quiet]);
    const exp = parseExposition(await createAgentMetrics(source).render());
    assert.equal(exp.samples.filter((s) => s.name.startsWith('wandol_http_')).length, 0);
    assert.ok(exp.samples.some((s) => s.name === 'wandol_replicas_desired' && s.labels.app === 'quiet'));
  });

  it('fails the scrape when the source fails, and recovers with it', async () => {
    const source = new ScriptedMetricsSource([scriptedApp('web')]);
    const metrics = createAgentMetrics(source);
    source.failWith = new Error('router unreachable');
    await assert.rejects(metrics.render(), /router unreachable/);
    source.failWith = undefined;
    assert.match(await metrics.render(), /wandol_replicas_ready\{app="web"\} 2/);
  });

  it('never throws from observe, whatever the duration', () => {
    const metrics = createAgentMetrics(new ScriptedMetricsSource([]));
    metrics.observeDeploy('web', 'succeeded', Number.NaN);
    metrics.observeDeploy('web', 'failed', -1);
    metrics.observeBuild('web', 'succeeded', Infinity);
  });

  it('keeps separate registries for separate agents', async () => {
    const a = createAgentMetrics(new ScriptedMetricsSource([scriptedApp('a')]));
    const b = createAgentMetrics(new ScriptedMetricsSource([scriptedApp('b')]));
    assert.doesNotMatch(await a.render(), /app="b"/);
    assert.doesNotMatch(await b.render(), /app="a"/);
  });
});
