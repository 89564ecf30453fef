// Autoscaling, measured on real processes: a step of CPU load through the router, the time until
// the scale-out is ready, then the scale events under a steady load, printed beside the windows
// configured (HPA period 15 s, scale-down stabilisation). Run: npm run bench -- autoscale
import { startTestAgent } from '../test/support/agent-harness.js';
import { freePort } from '../test/support/free-port.js';
import { gitFixture } from '../test/support/git-fixture.js';
import { get, startLoad } from '../test/support/load.js';
import { sampleAppFiles, sampleWandolYaml } from '../test/support/sample-app.js';
import { tempDir } from '../test/support/temp-dir.js';
import { waitFor } from '../test/support/wait-for.js';

const STABILIZATION_S = 30;
const STEADY_MS = 90_000;

/** Runs the benchmark and returns its figures. */
export async function autoscaleBench(): Promise<Record<string, number>> {
  const dir = tempDir('wandol-bench-');
  const t = await startTestAgent(`${dir.path}/data`);
  try {
    const port = await freePort();
    const repo = gitFixture(dir.path, 'hpa');
    const extra = [
      'resources: { cpu: 200m }',
      `autoscale: { min: 1, max: 3, targetCPUUtilization: 50, scaleDownStabilization: ${STABILIZATION_S}s }`,
    ].join('\n');
    repo.commit(sampleAppFiles({ version: 'v1' }, sampleWandolYaml(port, extra)), 'v1');
    await t.client.addApp({ name: 'hpa', repo: repo.remote, pollMs: 600_000 });
    const url = `http://127.0.0.1:${port}/`;
    await waitFor('v1 served', async () => (await get(url)).body === 'v1', 60_000);
    const step = performance.now();
    const load = startLoad(`${url}burn?ms=15`, { concurrency: 2, pauseMs: 5, maxRequests: 1_000_000 });
    await waitFor(
      'scale-out ready',
      async () => (await t.client.status('hpa')).replicas.ready > 1,
      120_000,
      200,
    );
    const scaleOutReadyS = (performance.now() - step) / 1000;
    const eventsBefore = (await t.client.events({ app: 'hpa', limit: 500 })).length;
    await new Promise((r) => setTimeout(r, STEADY_MS));
    await load.stop();
    const all = await t.client.events({ app: 'hpa', limit: 500 });
    const scaling = all
      .slice(0, all.length - eventsBefore)
      .reverse()
      .filter((e) => e.type === 'ScaledOut' || e.type === 'ScaledIn');
    const directionChanges = scaling.filter((e, i) => i > 0 && e.type !== scaling[i - 1]?.type).length;
    return {
      hpaPeriodS: 15,
      scaleDownStabilizationS: STABILIZATION_S,
      scaleOutReadyS: Math.round(scaleOutReadyS * 10) / 10,
      steadyWindowS: STEADY_MS / 1000,
      scaleEventsUnderSteadyLoad: scaling.length,
      oscillations: directionChanges,
      finalReplicas: (await t.client.status('hpa')).replicas.desired,
    };
  } finally {
    await t.down();
    dir.cleanup();
  }
}
