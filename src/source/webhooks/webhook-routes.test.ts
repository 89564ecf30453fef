import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fixtureBytes } from './webhook-fixtures.js';
import { MAX_WEBHOOK_BYTES } from './webhook-body.js';
import type { WebhookProvider } from './webhook-provider.js';
import { apiError, signed, startWebhookServer, type WebhookServer } from './webhook-test-server.js';

// Real HTTP on 127.0.0.1 through createApiServer; the WebhookTarget is a recording stand-in for the
// agent (see webhook-test-server.ts), which is tested end to end elsewhere.

const GLOBAL = 'global-webhook-secret-0123456789';
const FORGED = 'someone-elses-secret-0123456789!';

interface Case {
  /** How the user registered the app's repository (another spelling than the payload's). */
  repo: string;
  push: [file: string, headers: Record<string, string>];
  /** Gitea has no ping event: its "Test Delivery" sends a real push. */
  ping?: [file: string, headers: Record<string, string>];
  tag: [file: string, headers: Record<string, string>];
  deleted: [file: string, headers: Record<string, string>, reason: RegExp];
}

const CASES: Record<WebhookProvider, Case> = {
  github: {
    repo: 'git@github.com:octo-org/hello-bot.git',
    push: ['github-push.json', { 'x-github-event': 'push' }],
    ping: ['github-ping.json', { 'x-github-event': 'ping' }],
    tag: ['github-tag-push.json', { 'x-github-event': 'push' }],
    deleted: ['github-branch-delete.json', { 'x-github-event': 'push' }, /was deleted/],
  },
  gitlab: {
    repo: 'https://oauth2:glpat-token@gitlab.example.com/Shop/backend/orders-api',
    push: ['gitlab-push.json', { 'x-gitlab-event': 'Push Hook' }],
    ping: ['gitlab-system-hook.json', { 'x-gitlab-event': 'System Hook' }],
    tag: ['gitlab-tag-push.json', { 'x-gitlab-event': 'Tag Push Hook' }],
    deleted: ['gitlab-branch-delete.json', { 'x-gitlab-event': 'Push Hook' }, /was deleted/],
  },
  gitea: {
    repo: 'git@git.home.arpa:kim/lamp-bot.git',
    push: ['gitea-push.json', { 'x-gitea-event': 'push' }],
    tag: ['gitea-tag-push.json', { 'x-gitea-event': 'push' }],
    deleted: ['gitea-branch-delete.json', { 'x-gitea-event': 'delete' }, /delete events/],
  },
};

for (const [provider, c] of Object.entries(CASES) as [WebhookProvider, Case][]) {
  describe(`POST /api/v1/webhooks/${provider}`, () => {
    let web: WebhookServer;
    const body = fixtureBytes(c.push[0]);
    const send = (payload: Buffer | string, secret: string | null, headers = c.push[1]) =>
      web.post(provider, payload, {
        ...headers,
        ...(secret === null ? {} : signed(provider, payload, secret)),
      });
    const refused = async (res: Response, message: RegExp): Promise<void> => {
      assert.equal(res.status, 401);
      const error = await apiError(res);
      assert.equal(error.code, 'UNAUTHORIZED');
      assert.match(error.message, message);
      assert.deepEqual(web.target.triggers, [], 'nothing triggered');
    };

    before(async () => (web = await startWebhookServer()));
    after(() => web.close());
    beforeEach(() => {
      web.target.secret = GLOBAL;
      web.target.list = [
        { name: 'bot', repo: c.repo, branch: 'main' },
        { name: 'bot-staging', repo: c.repo, branch: 'staging' },
        { name: 'unrelated', repo: 'https://example.org/someone/else.git', branch: 'main' },
      ];
      web.target.triggers.length = 0;
    });

    it('valid signature: 202 and the app on that repo and branch triggered', async () => {
      const res = await send(body, GLOBAL);
      assert.equal(res.status, 202);
      assert.deepEqual(await res.json(), { apps: ['bot'] });
      assert.equal(web.target.triggers.length, 1);
      const [trigger] = web.target.triggers;
      assert.deepEqual(trigger?.apps, ['bot']);
      assert.equal(trigger?.push.provider, provider);
      assert.equal(trigger?.push.branch, 'main');
      assert.equal(trigger?.push.after, JSON.parse(body.toString()).after);
    });

    it('forged signature (another secret): 401, nothing triggered', async () => {
      await refused(await send(body, FORGED), /does not match/);
    });

    it('missing signature header: 401, nothing triggered', async () => {
      await refused(await send(body, null), /missing X-/);
    });

    if (provider === 'gitlab') {
      // GitLab's token is not a signature of the body: a token one character off must still fail.
      it('a token of the same length but one character off: 401', async () => {
        const res = await web.post(provider, body, {
          ...c.push[1],
          'x-gitlab-token': GLOBAL.slice(0, -1) + '!',
        });
        await refused(res, /does not match/);
      });
    } else {
      it('tampered body with the original signature: 401, nothing triggered', async () => {
        const after = (JSON.parse(body.toString()) as { after: string }).after;
        const tampered = Buffer.from(
          body.toString().replace(`"after": "${after}"`, `"after": "${'e'.repeat(40)}"`),
        );
        assert.notDeepEqual(tampered, body);
        const res = await web.post(provider, tampered, { ...c.push[1], ...signed(provider, body, GLOBAL) });
        await refused(res, /does not match/);
      });
    }

    it('oversized body (valid signature): 413 before anything else', async () => {
      const huge = Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 0x20);
      const res = await send(huge, GLOBAL);
      assert.equal(res.status, 413);
      assert.equal((await apiError(res)).code, 'USAGE');
      assert.deepEqual(web.target.triggers, []);
    });

    it('malformed JSON with a valid signature: 400', async () => {
      const res = await send('{"ref": "refs/heads/main",', GLOBAL);
      assert.equal(res.status, 400);
      assert.equal((await apiError(res)).code, 'USAGE');
      assert.deepEqual(web.target.triggers, []);
    });

    if (c.ping) {
      const [file, headers] = c.ping;
      it('ping with a valid signature: 200 pong', async () => {
        const res = await send(fixtureBytes(file), GLOBAL, headers);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { pong: true });
        assert.deepEqual(web.target.triggers, []);
      });
      it('ping with a forged signature: 401', async () => {
        await refused(await send(fixtureBytes(file), FORGED, headers), /does not match/);
      });
    }

    it('tag push: 202 ignored, nothing triggered', async () => {
      const res = await send(fixtureBytes(c.tag[0]), GLOBAL, c.tag[1]);
      assert.equal(res.status, 202);
      assert.match(((await res.json()) as { ignored: string }).ignored, /tag push/);
      assert.deepEqual(web.target.triggers, []);
    });

    it('deleted branch: 202 ignored, nothing triggered', async () => {
      const [file, headers, reason] = c.deleted;
      const res = await send(fixtureBytes(file), GLOBAL, headers);
      assert.equal(res.status, 202);
      assert.match(((await res.json()) as { ignored: string }).ignored, reason);
      assert.deepEqual(web.target.triggers, []);
    });

    it('per-app secret: only the app whose secret signed the push is triggered', async () => {
      web.target.secret = undefined;
      web.target.list = [
        { name: 'bot', repo: c.repo, branch: 'main', secret: 'bot-secret-0123456789' },
        { name: 'bot-eu', repo: c.repo, branch: 'main', secret: 'bot-eu-secret-012345' },
        { name: 'bot-plain', repo: c.repo, branch: 'main' },
      ];
      const res = await send(body, 'bot-eu-secret-012345');
      assert.equal(res.status, 202);
      assert.deepEqual(await res.json(), { apps: ['bot-eu'] });
      assert.deepEqual(
        web.target.triggers.map((t) => t.apps),
        [['bot-eu']],
      );
    });

    it('branch mismatch: 202 with no app, nothing triggered', async () => {
      web.target.list = [{ name: 'bot-dev', repo: c.repo, branch: 'develop' }];
      const res = await send(body, GLOBAL);
      assert.equal(res.status, 202);
      assert.deepEqual(await res.json(), { apps: [] });
      assert.deepEqual(web.target.triggers, []);
    });
  });
}
