// Zero downtime, measured: bounded keep-alive load plus long requests through the router during N
// consecutive deploys of a real app (real agent, data plane, git and processes on 127.0.0.1), with
// the blue-green strategy (one instance) or a rolling update (three, one at a time).
// Prints requests, failed (goal 0), p50 and p99. Run: npm run bench -- zero-downtime zero-downtime-rolling
import { startTestAgent, waitForRevision } from '../test/support/agent-harness.js';
import { freePort } from '../test/support/free-port.js';
import { gitFixture } from '../test/support/git-fixture.js';
import { get, percentile, startLoad } from '../test/support/load.js';
import { sampleAppFiles, sampleWandolYaml } from '../test/support/sample-app.js';
import { tempDir } from '../test/support/temp-dir.js';
import { waitFor } from '../test/support/wait-for.js';

const DEPLOYS = Number(process.env.DEPLOYS ?? 5);

/** The wandol.yaml keys of each strategy measured. */
const STRATEGIES = {
  'blue-green': 'strategy: { scaleDownDelay: 2s, progressDeadline: 20s }',
  rolling: 'replicas: 3\nstrategy: { type: rolling, maxSurge: 1, maxUnavailable: 0, progressDeadline: 20s }',
};

/** Runs the benchmark with `strategy` and returns its figures. */
export async function zeroDowntime(
  strategy: keyof typeof STRATEGIES = 'blue-green',
): Promise<Record<string, number>> {
  const dir = tempDir('wandol-bench-');
  const t = await startTestAgent(`${dir.path}/data`);
  try {
    const port = await freePort();
    const repo = gitFixture(dir.path, 'bench');
    const yaml = sampleWandolYaml(port, STRATEGIES[strategy]);
    repo.commit(sampleAppFiles({ version: 'v0' }, yaml), 'v0');
    await t.client.addApp({ name: 'bench', repo: repo.remote, pollMs: 60_000 });
    const url = `http://127.0.0.1:${port}/`;
    await waitFor('v0 served', async () => (await get(url)).body === 'v0', 60_000);
    const load = startLoad(url, { concurrency: 16, pauseMs: 0, maxRequests: 2_000_000 });
    const long: Promise<{ ok: boolean }>[] = [];
    for (let i = 1; i <= DEPLOYS; i++) {
      for (let j = 0; j < 4; j++) long.push(get(`${url}slow?ms=2000`));
      const sha = repo.commit(sampleAppFiles({ version: `v${i}`, startDelayMs: 500 }, yaml), `v${i}`);
      const release = (await t.client.deploy('bench')).release;
      const done = await waitForRevision(t.client, 'bench', sha);
      if (done.status !== 'Succeeded') throw new Error(`deploy ${release.id} ended ${done.status}`);
      await waitFor(`v${i} served`, async () => (await get(url)).body === `v${i}`, 30_000);
    }
    const longResults = await Promise.all(long);
    const result = await load.stop();
    return {
      deploys: DEPLOYS,
      requests: result.requests,
      failed: result.failed,
      longRequests: longResults.length,
      longFailed: longResults.filter((r) => !r.ok).length,
      p50Ms: round(percentile(result.latenciesMs, 0.5)),
      p99Ms: round(percentile(result.latenciesMs, 0.99)),
    };
  } finally {
    await t.down();
    dir.cleanup();
  }
}

const round = (n: number): number => Math.round(n * 100) / 100;
