import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WandolError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { freePort } from '../../test/support/free-port.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { waitFor } from '../../test/support/wait-for.js';
import { createApiServer } from './api-server.js';
import { ApiClient } from './client.js';
import { FakeAgentService } from './fake-agent-service.js';

// FakeAgentService stands in for the agent: this checks the client against the real HTTP server.
const TOKEN = 'client-test-token';

describe('ApiClient', () => {
  const dir = tempDir();
  const service = new FakeAgentService();
  let server: Server;
  let client: ApiClient;
  let baseUrl: string;

  before(async () => {
    server = createApiServer({ service, token: TOKEN, logger: silentLogger, logPollMs: 50 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    client = new ApiClient({ baseUrl, token: TOKEN });
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    dir.cleanup();
  });

  it('calls every JSON route', async () => {
    assert.deepEqual(await client.healthz(), { status: 'ok' });
    const app = await client.addApp({ name: 'demo', repo: '/r.git', branch: 'dev' });
    assert.equal(app.branch, 'dev');
    assert.deepEqual(
      (await client.listApps()).map((a) => a.name),
      ['demo'],
    );
    assert.equal((await client.status('demo')).name, 'demo');
    assert.equal((await client.statuses()).length, 1);
    const { release } = await client.deploy('demo', { rev: 'abc' });
    assert.equal(release.revision, 'abc');
    assert.equal((await client.releases('demo'))[0]?.id, release.id);
    assert.equal((await client.release('demo', release.id)).id, release.id);
    assert.deepEqual(await client.events({ app: 'demo', limit: 5 }), []);
    assert.deepEqual(service.calls.at(-1), { method: 'events', args: [{ app: 'demo', limit: 5 }] });
    await client.shutdown({ dataplane: true });
    await waitFor('shutdown', () => service.shutdowns.length === 1);
    await client.removeApp('demo');
    assert.deepEqual(await client.listApps(), []);
  });

  it("throws the server's code, message and details", async () => {
    await assert.rejects(client.status('ghost'), (err: unknown) => {
      assert.ok(err instanceof WandolError);
      assert.equal(err.code, 'NOT_FOUND');
      assert.match(err.message, /ghost/);
      return true;
    });
    service.failNext = new WandolError('INVALID_CONFIG', 'wandol.yaml is invalid', {
      details: ['replicas: too many'],
    });
    await assert.rejects(client.listApps(), (err: unknown) => {
      assert.ok(err instanceof WandolError);
      assert.equal(err.code, 'INVALID_CONFIG');
      assert.deepEqual(err.details, ['replicas: too many']);
      return true;
    });
    const wrong = new ApiClient({ baseUrl, token: 'wrong' });
    await assert.rejects(wrong.listApps(), { code: 'UNAUTHORIZED' });
  });

  it('reads and follows logs as text', async () => {
    await client.addApp({ name: 'logs', repo: '/r.git' });
    const file = join(dir.path, 'app.log');
    writeFileSync(file, 'a\nb\nc\n');
    service.logPaths.set('logs', file);
    let text = '';
    for await (const chunk of await client.logs('logs', { tail: 2 })) text += chunk;
    assert.equal(text, 'b\nc\n');
    await assert.rejects(client.logs('ghost'), { code: 'NOT_FOUND' });

    const abort = new AbortController();
    let followed = '';
    const stream = await client.logs('logs', { tail: 1, follow: true, signal: abort.signal });
    const reading = (async () => {
      for await (const chunk of stream) followed += chunk;
    })();
    await waitFor('the tail', () => followed === 'c\n');
    appendFileSync(file, 'd\n');
    await waitFor('the new line', () => followed === 'c\nd\n');
    abort.abort();
    await reading; // ends quietly on abort
  });

  it('streams events', async () => {
    const abort = new AbortController();
    const stream = await client.eventStream({ signal: abort.signal });
    const got: number[] = [];
    const reading = (async () => {
      for await (const event of stream) got.push(event.id);
    })();
    await waitFor('a subscriber', () => service.listenerCount === 1);
    service.emit({ id: 7, app: null, releaseId: null, type: 't', message: 'm', at: '', data: {} });
    await waitFor('the event', () => got.includes(7));
    abort.abort();
    await reading;
  });
});

describe('ApiClient without an agent', () => {
  it('throws AGENT_UNREACHABLE naming the address and agent.json', async () => {
    const port = await freePort();
    const client = new ApiClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token: 't',
      agentInfoPath: '/d/agent.json',
    });
    await assert.rejects(client.listApps(), (err: unknown) => {
      assert.ok(err instanceof WandolError);
      assert.equal(err.code, 'AGENT_UNREACHABLE');
      assert.equal(
        err.message,
        `no agent answers at http://127.0.0.1:${port}: start it with \`wandol up\` (looked in /d/agent.json)`,
      );
      return true;
    });
  });
});
