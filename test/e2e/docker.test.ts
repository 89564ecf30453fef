// The docker runtime end to end against a real Docker engine (CI installs docker.io, starts dockerd
// and imports the local base images with scripts/docker-base-images.sh; nothing is pulled).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { sampleApp, startTestAgent, waitForRevision, type TestAgent } from '../support/agent-harness.js';
import { get, startLoad } from '../support/load.js';
import { sampleAppFiles } from '../support/sample-app.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

function engineReady(): string | false {
  try {
    execFileSync('docker', ['image', 'inspect', 'local/node-base:20'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'no Docker engine with local/node-base:20: apt-get install docker.io, start dockerd, run scripts/docker-base-images.sh';
  }
}
const skip = engineReady();

const DOCKERFILE = 'FROM local/node-base:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n';
const EXTRA = [
  'runtime: docker',
  'build: { dockerfile: Dockerfile }',
  'run: { port: 3000 }',
  'env: { HOST: 0.0.0.0 }',
  'volumes: [{ name: data, mountPath: /data }]',
].join('\n');

const dir = tempDir();
let t: TestAgent;

before(async () => {
  if (!skip) t = await startTestAgent(`${dir.path}/data`);
});
after(async () => {
  await t?.down();
  dir.cleanup();
});

const containers = (app: string): string[] =>
  execFileSync('docker', ['ps', '-a', '--filter', `label=wandol.app=${app}`, '--format', '{{.Names}}'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);

test(
  'blue-green containers: a push goes live with zero failed requests, and down removes them',
  { skip },
  async () => {
    const app = 'dockhello';
    const a = await sampleApp(t, dir.path, app, EXTRA, { Dockerfile: DOCKERFILE });
    const load = startLoad(a.url, { concurrency: 4 });
    const v2 = a.repo.commit(
      { ...sampleAppFiles({ version: 'v2' }, a.yaml()), Dockerfile: DOCKERFILE },
      'v2',
    );
    const release = await waitForRevision(t.client, app, v2, 120_000);
    assert.equal(release.status, 'Succeeded', JSON.stringify(release.error));
    await waitFor('v2 served', async () => (await get(a.url)).body === 'v2', 30_000);
    const result = await load.stop();
    assert.equal(result.failed, 0, result.failures.join('; '));
    await waitFor('one container left', () => containers(app).length === 1, 30_000);
    await t.client.shutdown({ dataplane: true });
    await t.agent.done;
    await waitFor('containers removed by down', () => containers(app).length === 0, 30_000);
    const volumes = execFileSync('docker', ['volume', 'ls', '--format', '{{.Name}}'], { encoding: 'utf8' });
    assert.match(volumes, new RegExp(`wandol-${app}-data`), 'the named volume stays');
    execFileSync('docker', ['volume', 'rm', '-f', `wandol-${app}-data`], { stdio: 'ignore' });
  },
);
