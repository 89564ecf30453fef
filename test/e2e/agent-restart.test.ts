// The data plane outlives the control plane: the agent runs as its own process here so that it
// can be killed with SIGKILL under load. Real agent, data-plane daemon, git and HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { readAgentInfo } from '../../src/api/agent-info.js';
import { ApiClient } from '../../src/api/client.js';
import { spawnAgentProcess, stopDataplane, waitForRevision } from '../support/agent-harness.js';
import { freePort } from '../support/free-port.js';
import { gitFixture } from '../support/git-fixture.js';
import { get, startLoad } from '../support/load.js';
import { sampleAppFiles, sampleWandolYaml } from '../support/sample-app.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const dir = tempDir();
const dataDir = `${dir.path}/data`;
let agent: ChildProcess | undefined;

after(async () => {
  agent?.kill('SIGKILL');
  await stopDataplane(dataDir);
  dir.cleanup();
});

async function upAgent(apiPort: number, httpPort: number): Promise<ApiClient> {
  const previous = (await readAgentInfo(dataDir).catch(() => undefined))?.pid;
  agent = spawnAgentProcess(dataDir, apiPort, httpPort);
  const info = await waitFor(
    'agent.json of the new agent',
    async () => {
      const i = await readAgentInfo(dataDir).catch(() => undefined);
      return i && i.pid !== previous ? i : undefined;
    },
    30_000,
  );
  const client = new ApiClient({ baseUrl: info.apiUrl, token: info.token });
  await waitFor('agent answers', () => client.healthz(), 30_000);
  return client;
}

test('SIGKILL of the agent fails no request, and a restarted agent adopts what runs', async () => {
  const [apiPort, httpPort, routePort] = await Promise.all([freePort(), freePort(), freePort()]);
  const repo = gitFixture(dir.path, 'hello');
  const yaml = sampleWandolYaml(routePort);
  repo.commit(sampleAppFiles({ version: 'v1' }, yaml), 'v1');
  let client = await upAgent(apiPort, httpPort);
  await client.addApp({ name: 'hello', repo: repo.remote, pollMs: 300 });
  const url = `http://127.0.0.1:${routePort}/`;
  await waitFor('v1 served', async () => (await get(url)).body === 'v1', 60_000);
  const pidBefore = (await get(`${url}pid`)).body;

  const load = startLoad(url, { concurrency: 4 });
  agent!.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 1500));
  const duringDeath = load.result.ok;
  client = await upAgent(apiPort, httpPort);
  const status = await waitFor(
    'adopted status',
    async () => {
      const s = await client.status('hello');
      return s.replicas.ready === 1 ? s : undefined;
    },
    30_000,
  );
  assert.equal(status.instances.length, 1, 'no duplicate instance after adoption');
  assert.equal((await get(`${url}pid`)).body, pidBefore, 'the same instance keeps serving');

  const v2 = repo.commit(sampleAppFiles({ version: 'v2' }, yaml), 'v2');
  const release = await waitForRevision(client, 'hello', v2);
  assert.equal(release.status, 'Succeeded');
  await waitFor('v2 served', async () => (await get(url)).body === 'v2', 30_000);
  const result = await load.stop();
  assert.ok(duringDeath > 0, 'requests were answered while the agent was dead');
  assert.equal(result.failed, 0, result.failures.join('; '));
  await client.shutdown({ dataplane: true });
  await waitFor(
    'route closed after down',
    async () => (await get(url, undefined, 1000)).status === 0,
    20_000,
  );
});
