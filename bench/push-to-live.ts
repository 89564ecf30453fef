// Push-to-live overhead: from a pushed commit to the first request answered by it, minus the
// build's own time and the app's own start-up time, measured side by side in one run.
// The deploy is triggered right after the push (by the API, or by a signed webhook), so no poll
// wait is counted.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { signWebhook } from '../src/source/webhooks/verify-signature.js';
import { startTestAgent, waitForRevision } from '../test/support/agent-harness.js';
import { freePort } from '../test/support/free-port.js';
import { gitFixture } from '../test/support/git-fixture.js';
import { get } from '../test/support/load.js';
import { sampleAppFiles, sampleWandolYaml } from '../test/support/sample-app.js';
import { tempDir } from '../test/support/temp-dir.js';
import { waitFor } from '../test/support/wait-for.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const BUILD = 'node -e "setTimeout(() => {}, 300)"';

/** The app's own start time: spawn it directly and wait for its port to answer /healthz. */
async function appStartMs(workdir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['server.js'], {
    cwd: workdir,
    env: { ...process.env, PORT: String(port) },
    stdio: 'ignore',
  });
  await waitFor(
    'app answers',
    async () => (await get(`http://127.0.0.1:${port}/healthz`, undefined, 500)).ok,
    10_000,
    5,
  );
  const ms = performance.now() - started;
  child.kill();
  return ms;
}

const SECRET = 'bench-webhook-secret';

/** A signed GitHub push webhook for `sha`, as a forge would send it. */
async function sendWebhook(apiUrl: string, repo: string, sha: string): Promise<void> {
  const body = Buffer.from(
    JSON.stringify({
      ref: 'refs/heads/main',
      after: sha,
      repository: { clone_url: repo },
      pusher: { name: 'bench' },
    }),
  );
  const [header, value] = signWebhook('github', body, SECRET);
  const res = await fetch(`${apiUrl}/api/v1/webhooks/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', [header]: value },
    body,
  });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
}

/**
 * Runs the benchmark and returns its figures (medians over the rounds). `via`: how the deploy is
 * started right after the push: the API (`wandol deploy`) or a signed push webhook.
 */
export async function pushToLive(via: 'api' | 'webhook' = 'api'): Promise<Record<string, number>> {
  const dir = tempDir('wandol-bench-');
  writeFileSync(`${dir.path}/hook.secret`, SECRET);
  const t = await startTestAgent(`${dir.path}/data`, undefined, {
    webhookSecretFile: `${dir.path}/hook.secret`,
  });
  try {
    const port = await freePort();
    const repo = gitFixture(dir.path, 'ptl');
    const yaml = sampleWandolYaml(port).replace('command: "node -e 0"', `command: '${BUILD}'`);
    repo.commit(sampleAppFiles({ version: 'v0' }, yaml), 'v0');
    await t.client.addApp({ name: 'ptl', repo: repo.remote, pollMs: 600_000 });
    const url = `http://127.0.0.1:${port}/`;
    await waitFor('v0 served', async () => (await get(url)).body === 'v0', 60_000);
    const totals: number[] = [];
    const builds: number[] = [];
    const starts: number[] = [];
    for (let i = 1; i <= ROUNDS; i++) {
      const sha = repo.commit(sampleAppFiles({ version: `v${i}` }, yaml), `v${i}`);
      const t0 = performance.now();
      if (via === 'api') await t.client.deploy('ptl');
      else await sendWebhook(t.agent.apiUrl, repo.remote, sha);
      await waitFor(`v${i} answers`, async () => (await get(url)).body === `v${i}`, 60_000, 5);
      totals.push(performance.now() - t0);
      const release = await waitForRevision(t.client, 'ptl', sha);
      builds.push(release.timings.Building ?? 0);
      starts.push(await appStartMs(`${release.artifact}`));
    }
    const total = median(totals);
    const build = median(builds);
    const start = median(starts);
    return {
      rounds: ROUNDS,
      [`${via}ToLiveMs`]: total,
      buildMs: build,
      appStartMs: start,
      wandolOverheadMs: round(total - build - start),
    };
  } finally {
    await t.down();
    dir.cleanup();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.floor(sorted.length / 2)] ?? 0);
}
const round = (n: number): number => Math.round(n * 10) / 10;
