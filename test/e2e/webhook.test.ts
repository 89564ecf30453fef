// A signed push webhook deploys the pushed commit at once (polling is only the fallback); a forged
// one changes nothing. Real agent, data plane, git, processes and HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { signWebhook } from '../../src/source/webhooks/verify-signature.js';
import { startTestAgent, waitForRevision, type TestAgent } from '../support/agent-harness.js';
import { freePort } from '../support/free-port.js';
import { gitFixture } from '../support/git-fixture.js';
import { get } from '../support/load.js';
import { sampleAppFiles, sampleWandolYaml } from '../support/sample-app.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const SECRET = 'a-long-random-webhook-secret';
const dir = tempDir();
let t: TestAgent;

before(async () => {
  writeFileSync(`${dir.path}/hook.secret`, `${SECRET}\n`);
  t = await startTestAgent(`${dir.path}/data`, undefined, { webhookSecretFile: `${dir.path}/hook.secret` });
});
after(async () => {
  await t?.down();
  dir.cleanup();
});

function githubPush(repo: string, sha: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      ref: 'refs/heads/main',
      after: sha,
      deleted: false,
      repository: { full_name: 'me/hooked', clone_url: repo, html_url: 'https://example.invalid/me/hooked' },
      pusher: { name: 'me' },
    }),
  );
}

async function post(body: Buffer, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${t.agent.apiUrl}/api/v1/webhooks/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', ...headers },
    body,
  });
  await res.text();
  return res.status;
}

test('a signed GitHub push deploys the commit without waiting for the poll; a forged one is refused', async () => {
  const port = await freePort();
  const repo = gitFixture(dir.path, 'hooked');
  const yaml = sampleWandolYaml(port);
  repo.commit(sampleAppFiles({ version: 'v1' }, yaml), 'v1');
  await t.client.addApp({ name: 'hooked', repo: repo.remote, pollMs: 3_600_000 });
  const url = `http://127.0.0.1:${port}/`;
  await waitFor('v1 served', async () => (await get(url)).body === 'v1', 60_000);

  const v2 = repo.commit(sampleAppFiles({ version: 'v2' }, yaml), 'v2');
  const body = githubPush(repo.remote, v2);
  const [name] = signWebhook('github', body, 'not-the-secret');
  assert.equal(await post(body, { [name]: `sha256=${'0'.repeat(64)}` }), 401);
  assert.equal(await post(body, {}), 401);
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(
    !(await t.client.releases('hooked')).some((r) => r.revision === v2),
    'a forged hook started nothing',
  );

  const [header, value] = signWebhook('github', body, SECRET);
  assert.equal(await post(body, { [header]: value }), 202);
  const release = await waitForRevision(t.client, 'hooked', v2, 30_000);
  assert.equal(release.status, 'Succeeded');
  assert.equal(release.trigger, 'webhook');
  assert.equal((await get(url)).body, 'v2');
});
