// The release pipeline end to end on real parts (agent, data plane, git, processes, HTTP on
// 127.0.0.1): rollback, secrets, and the newest commit winning by ancestry.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import {
  sampleApp,
  startTestAgent,
  waitForRelease,
  waitForRevision,
  type SampleApp,
  type TestAgent,
} from '../support/agent-harness.js';
import { freePort } from '../support/free-port.js';
import { gitFixture } from '../support/git-fixture.js';
import { get, startLoad } from '../support/load.js';
import { sampleAppFiles, sampleWandolYaml } from '../support/sample-app.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const dir = tempDir();
let t: TestAgent;

before(async () => {
  t = await startTestAgent(`${dir.path}/data`);
});
after(async () => {
  await t?.down();
  dir.cleanup();
});

/** The sample app, with the warm window (scaleDownDelay) given. */
const app = (name: string, extra = '', scaleDownDelay = '1s'): Promise<SampleApp> =>
  sampleApp(
    t,
    dir.path,
    name,
    [`strategy: { scaleDownDelay: ${scaleDownDelay}, progressDeadline: 20s }`, extra].join('\n'),
  );

test('rollback within the warm window switches back at once to the same instances', async () => {
  const a = await app('warmback', '', '60s');
  const pidV1 = (await get(`${a.url}pid`)).body;
  const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, a.yaml()), 'v2');
  await waitForRevision(t.client, 'warmback', v2);
  assert.equal((await get(a.url)).body, 'v2');
  const load = startLoad(a.url, { concurrency: 2 });
  const { release } = await t.client.rollback('warmback');
  assert.equal(release.revision, a.v1);
  assert.equal(release.status, 'Succeeded');
  assert.equal((await get(a.url)).body, 'v1');
  assert.equal((await get(`${a.url}pid`)).body, pidV1, 'the warm instance itself serves again');
  const result = await load.stop();
  assert.equal(result.failed, 0, result.failures.join('; '));
  const history = await t.client.releases('warmback');
  assert.equal(history.find((r) => r.revision === v2)?.status, 'RolledBack');
  assert.equal(history.find((r) => r.live)?.revision, a.v1);
  const status = await t.client.status('warmback');
  assert.equal(status.sync, 'OutOfSync', 'the branch head is not what serves after a rollback');
  // The rolled-back commit does not come back by itself at the next poll.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await get(a.url)).body, 'v1');
});

test('rollback after the warm window restores artifact and config without a rebuild', async () => {
  const a = await app('coldback', 'env: { GREETING: hello }');
  const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, a.yaml('env: { GREETING: bye }')), 'v2');
  await waitForRevision(t.client, 'coldback', v2);
  assert.equal((await get(`${a.url}env?name=GREETING`)).body, 'bye');
  await waitFor('v1 retired', async () => (await t.client.status('coldback')).instances.length === 1, 20_000);
  const { release } = await t.client.rollback('coldback', { to: a.v1.slice(0, 7) });
  const done = await waitForRelease(t.client, 'coldback', release.id);
  assert.equal(done.status, 'Succeeded');
  assert.equal(done.trigger, 'rollback');
  assert.equal(done.timings.Building !== undefined && done.timings.Building < 5000, true);
  assert.equal((await get(a.url)).body, 'v1');
  assert.equal((await get(`${a.url}env?name=GREETING`)).body, 'hello', 'the config of v1 came back');
  assert.equal((await t.client.releases('coldback')).find((r) => r.revision === v2)?.status, 'RolledBack');
});

test('secrets reach the app as env and nowhere else in clear', async () => {
  const a = await app('secretive');
  const value = 'hunter2-very-secret-value';
  await t.client.setSecret('secretive', 'API_TOKEN', value);
  assert.deepEqual(
    (await t.client.listSecrets('secretive')).secrets.map((s) => s.name),
    ['API_TOKEN'],
  );
  const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, a.yaml('secrets: [API_TOKEN]')), 'v2');
  const release = await waitForRevision(t.client, 'secretive', v2);
  assert.equal(release.status, 'Succeeded', JSON.stringify(release.error));
  assert.equal((await get(`${a.url}env?name=API_TOKEN`)).body, value);
  assert.match(release.config?.secrets.API_TOKEN ?? '', /^hmac-sha256:[0-9a-f]+$/);
  const everything = JSON.stringify([
    await t.client.releases('secretive'),
    await t.client.status('secretive'),
    await t.client.events({ limit: 500 }),
    await t.client.listSecrets('secretive'),
  ]);
  assert.ok(!everything.includes(value), 'the value is in an API answer');
  assert.ok(
    !readFileSync(`${dir.path}/agent-test.log`, 'utf8').includes(value),
    'the value is in the agent log',
  );
  assert.ok(
    !readFileSync(`${t.dataDir}/wandol.db`).includes(Buffer.from(value)),
    'the value is in the database in clear',
  );
});

test('a missing secret fails the release with the command that sets it', async () => {
  const a = await app('nosecret');
  const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, a.yaml('secrets: [MISSING_ONE]')), 'v2');
  const release = await waitForRevision(t.client, 'nosecret', v2);
  assert.equal(release.status, 'Failed');
  assert.match(release.error?.message ?? '', /wandol secret set nosecret MISSING_ONE/);
  assert.equal((await get(a.url)).body, 'v1');
});

test('the newest commit wins: a slow build of an ancestor is superseded, never deployed over it', async () => {
  const a = await app('race');
  const slow = a.yaml().replace('build: { command: "node -e 0" }', 'build: { command: "sleep 4" }');
  const older = a.repo.commit(sampleAppFiles({ version: 'older' }, slow), 'slow build');
  await waitFor('the slow build started', async () => {
    const r = (await t.client.releases('race')).find((x) => x.revision === older);
    return r?.phase === 'Building';
  });
  const load = startLoad(a.url, { concurrency: 2 });
  const newer = a.repo.commit(sampleAppFiles({ version: 'newer' }, a.yaml()), 'fast build');
  const done = await waitForRevision(t.client, 'race', newer);
  assert.equal(done.status, 'Succeeded');
  const superseded = await waitForRevision(t.client, 'race', older);
  assert.equal(superseded.status, 'Superseded');
  await new Promise((r) => setTimeout(r, 1000));
  const result = await load.stop();
  assert.equal(result.failed, 0);
  assert.ok(!result.bodies.includes('older'), `the older commit served: ${result.bodies.join(',')}`);
  assert.equal((await get(a.url)).body, 'newer');
});

test('GitOps write-back: the live commit tag lands in kustomization.yaml once, with no deploy loop', async () => {
  const kustomization = 'resources: [deployment.yaml]\n# images are set by wandol\n';
  const deployment = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: hello }',
    'spec:',
    '  selector: { matchLabels: { app: hello } }',
    '  template:',
    '    metadata: { labels: { app: hello } }',
    '    spec: { containers: [{ name: hello, image: registry.example/hello }] }',
    '',
  ].join('\n');
  const gitops = 'gitops: { kustomization: deploy/kustomization.yaml, image: registry.example/hello }';
  const port = await freePort();
  const repo = gitFixture(dir.path, 'gitopsy');
  const files = (version: string): Record<string, string> => ({
    ...sampleAppFiles({ version }, sampleWandolYaml(port, gitops)),
    'deploy/kustomization.yaml': kustomization,
    'deploy/deployment.yaml': deployment,
  });
  const v1 = repo.commit(files('v1'), 'v1');
  await t.client.addApp({ name: 'gitopsy', repo: repo.remote, pollMs: 300 });
  await waitForRevision(t.client, 'gitopsy', v1);
  const botCommit = await waitFor('the bot commit on the remote', () => {
    repo.git('fetch', '-q', 'origin');
    const subject = repo.git('log', '-1', '--format=%ae %s', 'origin/main');
    return subject.includes('[skip ci]') ? subject : undefined;
  });
  assert.match(botCommit, new RegExp(`registry.example/hello:${v1.slice(0, 7)}`));
  const file = repo.git('show', 'origin/main:deploy/kustomization.yaml');
  assert.match(file, /# images are set by wandol/, 'comments are kept');
  assert.match(file, new RegExp(`newTag: "?${v1.slice(0, 7)}"?`));
  // The bot's commit is not deployed: no second release, and the app counts as Synced.
  await new Promise((r) => setTimeout(r, 1500));
  const releases = await t.client.releases('gitopsy');
  assert.equal(releases.length, 1, JSON.stringify(releases.map((r) => r.message)));
  assert.equal((await t.client.status('gitopsy')).sync, 'Synced');
});

test('notifications: deploy started and succeeded reach a signed webhook receiver', async () => {
  const received: { kind: string; body: string; signature: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({
        kind: String(req.headers['x-wandol-event']),
        body,
        signature: String(req.headers['x-wandol-signature']),
      });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  try {
    const port = (receiver.address() as AddressInfo).port;
    const notify = `notify: [{ type: webhook, url: "http://127.0.0.1:${port}/hook", signingSecret: HOOK_KEY, on: [started, succeeded] }]`;
    const a = await app('notified');
    await t.client.setSecret('notified', 'HOOK_KEY', 'receiver-signing-key');
    const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, a.yaml(notify)), 'v2');
    await waitForRevision(t.client, 'notified', v2);
    const success = await waitFor('a succeeded notification', () =>
      received.find((r) => r.kind === 'succeeded'),
    );
    const expected = `sha256=${createHmac('sha256', 'receiver-signing-key').update(success.body).digest('hex')}`;
    assert.equal(success.signature, expected);
    assert.equal(JSON.parse(success.body).app, 'notified');
  } finally {
    receiver.close();
  }
});

test('wandol cancel stops a running build; the running version keeps serving', async () => {
  const a = await app('cancelled');
  const slow = a.yaml().replace('build: { command: "node -e 0" }', 'build: { command: "sleep 60" }');
  const v2 = a.repo.commit(sampleAppFiles({ version: 'v2' }, slow), 'slow build');
  await waitFor('the slow build started', async () => {
    const r = (await t.client.releases('cancelled')).find((x) => x.revision === v2);
    return r?.phase === 'Building';
  });
  const { cancelled } = await t.client.cancel('cancelled');
  assert.equal(cancelled.length, 1);
  const release = await waitForRevision(t.client, 'cancelled', v2, 20_000);
  assert.equal(release.status, 'Failed');
  assert.equal(release.error?.code, 'CANCELLED');
  assert.equal((await get(a.url)).body, 'v1');
});
