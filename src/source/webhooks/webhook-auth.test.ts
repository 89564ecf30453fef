import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { jsonLogger } from '../../core/logger.js';
import { MAX_WEBHOOK_BYTES } from './webhook-body.js';
import { fixtureBytes } from './webhook-fixtures.js';
import { apiError, signed, startWebhookServer, type WebhookServer } from './webhook-test-server.js';

// Real HTTP on 127.0.0.1 through createApiServer; the WebhookTarget is a recording stand-in for the
// agent (see webhook-test-server.ts), which is tested end to end elsewhere.

const GLOBAL = 'global-webhook-secret-0123456789';
const APP_SECRET = 'hello-bot-own-secret-0123';
const PUSH = fixtureBytes('github-push.json');
const EVENT = { 'x-github-event': 'push' };
const REPO = 'https://github.com/Octo-Org/hello-bot.git';

describe('webhook secrets and app selection', () => {
  let web: WebhookServer;
  const lines: string[] = [];
  const post = (body: Buffer | string, headers: Record<string, string>) => web.post('github', body, headers);

  before(async () => (web = await startWebhookServer(jsonLogger((line) => lines.push(line), 'debug'))));
  after(() => web.close());
  beforeEach(() => {
    web.target.secret = GLOBAL;
    web.target.list = [];
    web.target.triggers.length = 0;
    lines.length = 0;
  });

  it('with no secret anywhere: 401 saying how to set one', async () => {
    web.target.secret = undefined;
    web.target.list = [{ name: 'bot', repo: REPO, branch: 'main' }];
    const res = await post(PUSH, { ...EVENT, ...signed('github', PUSH, GLOBAL) });
    assert.equal(res.status, 401);
    const error = await apiError(res);
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.match(error.message, /no webhook secret is set/);
    assert.match(error.message, /wandol up --webhook-secret-file F/);
    assert.match(error.message, /wandol secret set APP WEBHOOK_SECRET/);
    assert.deepEqual(web.target.triggers, []);
  });

  it('with secrets only on apps of other repositories: 401, none applies', async () => {
    web.target.secret = undefined;
    web.target.list = [
      { name: 'bot', repo: REPO, branch: 'main' },
      { name: 'other', repo: 'git@github.com:o/other.git', branch: 'main', secret: APP_SECRET },
    ];
    const res = await post(PUSH, { ...EVENT, ...signed('github', PUSH, APP_SECRET) });
    assert.equal(res.status, 401);
    assert.match((await apiError(res)).message, /no webhook secret applies to this repository/);
    assert.deepEqual(web.target.triggers, []);
  });

  it('the global secret triggers every app of that repo and branch, whatever its spelling or own secret', async () => {
    web.target.list = [
      { name: 'a', repo: 'git@github.com:octo-org/hello-bot.git', branch: 'main' },
      {
        name: 'b',
        repo: 'https://x-access-token:ghs_0123456789@github.com/Octo-Org/hello-bot',
        branch: 'main',
      },
      { name: 'c', repo: 'ssh://git@github.com:22/octo-org/hello-bot', branch: 'main', secret: APP_SECRET },
      { name: 'd', repo: REPO, branch: 'develop' },
      { name: 'e', repo: 'https://github.com/octo-org/other-bot', branch: 'main' },
    ];
    const res = await post(PUSH, { ...EVENT, ...signed('github', PUSH, GLOBAL) });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { apps: ['a', 'b', 'c'] });
    assert.deepEqual(
      web.target.triggers.map((t) => t.apps),
      [['a', 'b', 'c']],
    );
  });

  it('a verified push for a repository no app uses: 202 with no app', async () => {
    web.target.list = [{ name: 'e', repo: 'https://github.com/octo-org/other-bot', branch: 'main' }];
    const res = await post(PUSH, { ...EVENT, ...signed('github', PUSH, GLOBAL) });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { apps: [] });
    assert.deepEqual(web.target.triggers, []);
  });

  it('unsigned bad JSON or an unreadable push: 401 first; signed: 400 naming the fields', async () => {
    assert.equal((await post('{nope', EVENT)).status, 401);
    const lacking = JSON.stringify({ ref: 'refs/heads/main', repository: {} });
    assert.equal((await post(lacking, EVENT)).status, 401);
    const res = await post(lacking, { ...EVENT, ...signed('github', lacking, GLOBAL) });
    assert.equal(res.status, 400);
    const error = await apiError(res);
    assert.equal(error.code, 'USAGE');
    assert.deepEqual(error.details, ['after: missing or invalid', 'repository: missing or invalid']);
    assert.deepEqual(web.target.triggers, []);
  });

  it('the API token is no substitute for the signature', async () => {
    web.target.list = [{ name: 'bot', repo: REPO, branch: 'main' }];
    const res = await post(PUSH, { ...EVENT, authorization: 'Bearer x' });
    assert.equal(res.status, 401);
    assert.deepEqual(web.target.triggers, []);
  });

  it('other events with a valid signature: 202 ignored', async () => {
    const body = JSON.stringify({ action: 'opened', repository: { full_name: 'Octo-Org/hello-bot' } });
    const res = await post(body, { 'x-github-event': 'issues', ...signed('github', body, GLOBAL) });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { ignored: 'issues events do not deploy' });
  });

  it("accepts GitHub's form encoding (payload=<json>), signed as sent", async () => {
    web.target.list = [{ name: 'bot', repo: REPO, branch: 'main' }];
    const form = new URLSearchParams({ payload: PUSH.toString() }).toString();
    const headers = {
      ...EVENT,
      'content-type': 'application/x-www-form-urlencoded',
      ...signed('github', form, GLOBAL),
    };
    const res = await post(form, headers);
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { apps: ['bot'] });
  });

  it('413 for a chunked body past 1 MiB, and for an unsigned one', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const address = web.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/v1/webhooks/github' },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let sent = 0; sent <= MAX_WEBHOOK_BYTES; sent += chunk.length) req.write(chunk);
      req.end();
    });
    assert.equal(status, 413);
    assert.equal((await post(Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 0x20), EVENT)).status, 413);
    assert.deepEqual(web.target.triggers, []);
  });

  it('a trigger failure is answered as an error, not as accepted', async () => {
    web.target.list = [{ name: 'bot', repo: REPO, branch: 'main' }];
    web.target.trigger = async () => {
      throw new Error('queue closed');
    };
    try {
      const res = await post(PUSH, { ...EVENT, ...signed('github', PUSH, GLOBAL) });
      assert.equal(res.status, 500);
      assert.equal((await apiError(res)).code, 'INTERNAL');
    } finally {
      delete (web.target as { trigger?: unknown }).trigger; // back to the prototype's recorder
    }
  });

  it('logs constant messages with provider, repo key, branch and apps; never secrets or payload', async () => {
    web.target.list = [{ name: 'bot', repo: REPO, branch: 'main', secret: APP_SECRET }];
    await post(PUSH, { ...EVENT, ...signed('github', PUSH, GLOBAL) });
    await post(PUSH, { ...EVENT, ...signed('github', PUSH, 'wrong-secret-0123456789') });
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const push = entries.find((e) => e.msg === 'Webhook push');
    assert.deepEqual(
      { provider: push?.provider, repo: push?.repo, branch: push?.branch, apps: push?.apps },
      { provider: 'github', repo: 'github.com/octo-org/hello-bot', branch: 'main', apps: ['bot'] },
    );
    assert.equal(entries.find((e) => e.msg === 'Webhook refused')?.reason, 'bad-signature');
    const all = lines.join('');
    for (const hidden of [GLOBAL, APP_SECRET, 'wrong-secret', 'Answer /ping with the uptime', 'mona@users']) {
      assert.equal(all.includes(hidden), false, `the log holds ${hidden}`);
    }
  });
});
