import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createAgentMetrics } from './agent-metrics.js';
import { ScriptedMetricsSource } from './scripted-metrics-source.js';

// deploy/grafana/wandol.json, read from the repository (tests run from dist/src/metrics/).
const DASHBOARD = new URL('../../../deploy/grafana/wandol.json', import.meta.url);

interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
}

/** Every `expr` and variable query in the dashboard, wherever it sits. */
function queries(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) queries(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'expr' || key === 'query' || key === 'definition') && typeof value === 'string')
        out.push(value);
      else queries(value, out);
    }
  }
  return out;
}

describe('Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    schemaVersion: number;
    __inputs: { name: string }[];
    panels: Panel[];
    templating: { list: { name: string; type: string; definition?: string }[] };
  };

  it('names only metrics the agent exposes', () => {
    // A scripted source: the names are what matter here, and the registry knows them all up front.
    const metrics = createAgentMetrics(new ScriptedMetricsSource([]));
    const families = new Map(metrics.registry.getMetricsAsArray().map((m) => [m.name, String(m.type)]));
    const exprs = queries(dashboard.panels);
    assert.ok(exprs.length >= 12, 'the panels have queries');
    for (const expr of [...exprs, ...queries(dashboard.templating)]) {
      for (const name of expr.match(/wandol_[a-z_]+/g) ?? []) {
        const base = name.replace(/_(bucket|sum|count)$/, '');
        const known = families.has(name) || (base !== name && families.get(base) === 'histogram');
        assert.ok(known, `${name} in ${expr}`);
      }
    }
  });

  it('takes its data source as an input and its apps from wandol_replicas_desired', () => {
    assert.ok(dashboard.schemaVersion >= 39);
    assert.deepEqual(
      dashboard.__inputs.map((i) => i.name),
      ['DS_PROMETHEUS'],
    );
    const app = dashboard.templating.list.find((v) => v.name === 'app');
    assert.equal(app?.definition, 'label_values(wandol_replicas_desired, app)');
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      assert.equal(panel.datasource?.uid, '${DS_PROMETHEUS}', panel.title);
      for (const t of panel.targets ?? []) assert.equal(t.datasource?.uid, '${DS_PROMETHEUS}', panel.title);
    }
  });

  it('has the panels of the brief', () => {
    const titles = dashboard.panels.map((p) => p.title.toLowerCase());
    for (const want of [
      'requests/s',
      'p99',
      'in-flight',
      'health',
      'replicas',
      'deploys by outcome',
      'deploy duration',
      'build duration',
      'restarts',
      'cpu',
      'memory',
    ]) {
      assert.ok(
        titles.some((t) => t.includes(want)),
        want,
      );
    }
  });
});
