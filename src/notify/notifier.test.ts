import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { EventRecord } from '../api/wire.js';
import type { BackoffPolicy } from '../core/backoff.js';
import { jsonLogger } from '../core/logger.js';
import { registerSecret } from '../core/redact.js';
import { waitFor } from '../../test/support/wait-for.js';
import { Notifier, type NotifierOptions } from './notifier.js';
import type { NotifyTarget } from './notify-target.js';
import { startReceiver, type Answer, type Receiver } from './receiver-fixture.js';
import { verifySignature } from './webhook-signature.js';

const FAST: BackoffPolicy = { initialMs: 10, factor: 2, maxMs: 40, jitter: 0 };
const SHA = '0123456789abcdef0123456789abcdef01234567';
const ALL = ['started', 'succeeded', 'failed', 'rolledBack', 'degraded'] as NotifyTarget['on'];
let nextId = 1;

function event(type: string, message = 'a message', data: Record<string, unknown> = {}): EventRecord {
  const at = '2025-01-02T03:04:05.000Z';
  return { id: nextId++, app: 'hello', releaseId: 7, type, message, at, data: { revision: SHA, ...data } };
}

/** A notifier with fast retries whose log entries are kept, closed after the suite. */
function notifier(opts: Partial<NotifierOptions> = {}): { n: Notifier; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const logger = jsonLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>), 'debug');
  const n = new Notifier({ logger, retry: FAST, ...opts });
  after(() => n.close());
  return { n, logs };
}

async function receiver(answer?: (req: { body: string }, i: number) => Answer): Promise<Receiver> {
  const r = await startReceiver(answer);
  after(() => r.close());
  return r;
}

const json = (body: string | undefined): Record<string, unknown> => JSON.parse(body ?? 'null') as never;

describe('Notifier delivers to a real receiver', () => {
  it('Discord: one embed, coloured by kind, no mentions', async () => {
    const r = await receiver();
    const { n } = notifier();
    n.notify(event('Deployed', '0123456 is live'), [
      { type: 'discord', url: `${r.url}/api/webhooks/1/tok`, on: ALL },
    ]);
    await n.idle();
    const [req] = r.received;
    assert.equal(req?.path, '/api/webhooks/1/tok');
    assert.equal(req?.headers['content-type'], 'application/json');
    assert.equal(req?.headers['user-agent'], 'wandol');
    assert.deepEqual(json(req?.body), {
      embeds: [
        {
          title: 'hello: deployed',
          description: '0123456 is live',
          color: 0x2ecc71,
          fields: [
            { name: 'App', value: 'hello', inline: true },
            { name: 'Release', value: '#7', inline: true },
            { name: 'Revision', value: '0123456', inline: true },
          ],
          timestamp: '2025-01-02T03:04:05.000Z',
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('Slack: a fallback text and a mrkdwn section', async () => {
    const r = await receiver();
    const { n } = notifier();
    n.notify(event('DeployFailed', 'probe <failed> & gave up'), [
      { type: 'slack', url: `${r.url}/services/T/B/x`, on: ALL },
    ]);
    await n.idle();
    const body = json(r.received[0]?.body) as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string } }[];
    };
    assert.equal(body.text, 'hello: deploy failed: probe &lt;failed&gt; &amp; gave up');
    assert.deepEqual(body.blocks[0], {
      type: 'section',
      text: { type: 'mrkdwn', text: ':x: *hello: deploy failed*\nprobe &lt;failed&gt; &amp; gave up' },
    });
    assert.equal(body.blocks[1]?.type, 'context');
  });

  it('generic webhook: JSON body, event header, and a signature that verifies (a tampered one does not)', async () => {
    const r = await receiver();
    const { n } = notifier();
    const target: NotifyTarget = {
      type: 'webhook',
      url: `${r.url}/hooks/wandol`,
      on: ALL,
      signingSecret: 'k3y-for-hmac',
    };
    n.notify(event('RolledBack', 'rolled back to 0123456', { from: 8, to: 7 }), [target]);
    await n.idle();
    const req = r.received[0]!;
    assert.deepEqual(json(req.body), {
      kind: 'rolledBack',
      event: 'RolledBack',
      app: 'hello',
      release: 7,
      revision: SHA,
      message: 'rolled back to 0123456',
      at: '2025-01-02T03:04:05.000Z',
      data: { revision: SHA, from: 8, to: 7 },
    });
    assert.equal(req.headers['x-wandol-event'], 'rolledBack');
    assert.equal(req.headers['user-agent'], 'wandol');
    assert.match(String(req.headers['x-wandol-delivery']), /^[0-9a-f-]{36}$/);
    const signature = String(req.headers['x-wandol-signature']);
    assert.match(signature, /^sha256=[0-9a-f]{64}$/);
    assert.equal(verifySignature(req.body, signature, 'k3y-for-hmac'), true);
    assert.equal(
      verifySignature(req.body.replace('"release":7', '"release":8'), signature, 'k3y-for-hmac'),
      false,
    );
    assert.equal(verifySignature(req.body, signature, 'another-key'), false);
  });

  it('an unsigned webhook has no signature header', async () => {
    const r = await receiver();
    const { n } = notifier();
    n.notify(event('Deploying'), [{ type: 'webhook', url: r.url, on: ALL }]);
    await n.idle();
    assert.equal(r.received[0]?.headers['x-wandol-signature'], undefined);
    assert.equal(r.received[0]?.headers['x-wandol-event'], 'started');
  });
});

describe('Notifier retries', () => {
  it('retries a 500 until it is taken, with the same body and delivery id', async () => {
    const r = await receiver((_req, i) => (i < 2 ? { status: 500, body: 'oops' } : { status: 200 }));
    const { n, logs } = notifier();
    n.notify(event('Deployed'), [{ type: 'webhook', url: r.url, on: ALL }]);
    await n.idle();
    assert.equal(r.received.length, 3);
    assert.equal(new Set(r.received.map((q) => q.body)).size, 1);
    assert.equal(new Set(r.received.map((q) => q.headers['x-wandol-delivery'])).size, 1);
    assert.deepEqual(
      logs.filter((l) => String(l.msg).startsWith('Notification')).map((l) => [l.msg, l.attempt, l.status]),
      [
        ['NotificationRetrying', 1, 500],
        ['NotificationRetrying', 2, 500],
        ['NotificationSent', 3, 200],
      ],
    );
  });

  it('does not retry a 400, and gives up after maxAttempts', async () => {
    const bad = await receiver(() => ({ status: 400, body: 'bad payload' }));
    const down = await receiver(() => ({ status: 503 }));
    const { n, logs } = notifier({ maxAttempts: 3 });
    n.notify(event('Deployed'), [
      { type: 'slack', url: bad.url, on: ALL },
      { type: 'webhook', url: down.url, on: ALL },
    ]);
    await n.idle();
    assert.equal(bad.received.length, 1);
    assert.equal(down.received.length, 3);
    const failed = logs.filter((l) => l.msg === 'NotificationFailed');
    assert.deepEqual(
      failed.map((l) => [l.type, l.status, l.reason, l.attempt]),
      [
        ['slack', 400, 'HTTP 400: bad payload', 1],
        ['webhook', 503, 'HTTP 503', 3],
      ],
    );
  });

  it('honours Retry-After on a 429, up to the cap', async () => {
    const r = await receiver((_req, i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 204 },
    );
    const { n, logs } = notifier();
    n.notify(event('Deployed'), [{ type: 'discord', url: r.url, on: ALL }]);
    await n.idle();
    assert.equal(r.received.length, 2);
    const gap = r.received[1]!.at - r.received[0]!.at;
    assert.ok(gap >= 950, `retried after ${gap} ms, before the 1 s asked for`);
    assert.equal(logs.find((l) => l.msg === 'NotificationRetrying')?.delayMs, 1000);

    const capped = await receiver((_req, i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '3600' } } : { status: 204 },
    );
    const short = notifier({ maxRetryAfterMs: 50 });
    short.n.notify(event('Deployed'), [{ type: 'discord', url: capped.url, on: ALL }]);
    await short.n.idle();
    assert.equal(capped.received.length, 2);
    assert.equal(short.logs.find((l) => l.msg === 'NotificationRetrying')?.delayMs, 50);
  });

  it('retries a target that does not answer in time', async () => {
    const r = await receiver(() => 'hang');
    const { n, logs } = notifier({ timeoutMs: 100, maxAttempts: 2 });
    n.notify(event('Deployed'), [{ type: 'webhook', url: r.url, on: ALL }]);
    await n.idle();
    assert.equal(r.received.length, 2);
    assert.equal(logs.find((l) => l.msg === 'NotificationFailed')?.reason, 'no answer within 100 ms');
  });

  it('retries a refused connection', async () => {
    const r = await receiver();
    const url = r.url;
    await r.close();
    const { n, logs } = notifier({ maxAttempts: 2 });
    n.notify(event('Deployed'), [{ type: 'webhook', url, on: ALL }]);
    await n.idle();
    assert.deepEqual(
      logs.filter((l) => String(l.msg).startsWith('Notification')).map((l) => l.msg),
      ['NotificationRetrying', 'NotificationFailed'],
    );
    assert.match(String(logs.at(-1)?.reason), /ECONNREFUSED/);
  });
});

describe('Notifier never gets in the way', () => {
  it('returns at once while a target hangs, and other targets are still served', async () => {
    const stuck = await receiver(() => 'hang');
    const fine = await receiver();
    const { n } = notifier();
    const targets: NotifyTarget[] = [
      { type: 'webhook', url: stuck.url, on: ALL },
      { type: 'slack', url: fine.url, on: ALL },
    ];
    assert.equal(n.notify(event('Deploying'), targets), undefined);
    await waitFor('the healthy target served', () => fine.received.length === 1);
    await waitFor('the stuck target reached', () => stuck.received.length === 1);
    // A second event for the stuck URL waits behind the first (order per URL); notify still returns at once.
    n.notify(event('Deployed'), targets);
    await waitFor('the second event served', () => fine.received.length === 2);
    assert.equal(stuck.received.length, 1);
    await n.close();
    await n.idle();
  });

  it('never throws, whatever fetch or the targets do', async () => {
    const { n, logs } = notifier({
      maxAttempts: 1,
      fetch: () => {
        throw new Error('fetch exploded');
      },
    });
    n.notify(event('Deployed'), [
      { type: 'webhook', url: 'http://127.0.0.1:9/h', on: ALL },
      { type: 'webhook', url: 'not a url', on: ALL },
    ]);
    n.notify({ ...event('Deployed'), data: null as never }, [
      { type: 'webhook', url: 'http://127.0.0.1:9/h', on: ALL },
    ]);
    await n.idle();
    assert.deepEqual(
      logs.map((l) => l.msg),
      ['NotificationSkipped', 'NotifyFailed', 'NotificationFailed'],
    );
  });

  it('keeps at most maxPending waiting, dropping the oldest with a warning', async () => {
    const r = await receiver((_req, i) => (i === 0 ? 'hang' : { status: 204 }));
    const { n, logs } = notifier({ maxPending: 2, timeoutMs: 300, maxAttempts: 1 });
    const target: NotifyTarget = { type: 'webhook', url: r.url, on: ALL };
    n.notify(event('Deploying', 'first'), [target]);
    await waitFor('the first in flight', () => r.received.length === 1);
    for (const message of ['second', 'third', 'fourth']) n.notify(event('Deploying', message), [target]);
    await n.idle();
    assert.deepEqual(
      r.received.map((q) => json(q.body).message),
      ['first', 'third', 'fourth'],
    );
    assert.equal(logs.filter((l) => l.msg === 'NotificationDropped').length, 1);
  });
});

describe('Notifier content', () => {
  it('redacts registered secrets and credentials from what it sends', async () => {
    registerSecret('sk-live-5e3cr3t-value');
    const r = await receiver();
    const { n } = notifier();
    const message = 'build failed: curl https://bot:hunter22@git.example failed with sk-live-5e3cr3t-value';
    n.notify(event('BuildFailed', message, { details: ['token=sk-live-5e3cr3t-value'] }), [
      { type: 'discord', url: r.url, on: ALL },
      { type: 'slack', url: r.url, on: ALL },
      { type: 'webhook', url: r.url, on: ALL },
    ]);
    await n.idle();
    assert.equal(r.received.length, 3);
    for (const req of r.received) {
      assert.ok(!req.body.includes('sk-live-5e3cr3t-value'), req.body);
      assert.ok(!req.body.includes('hunter22'), req.body);
      assert.ok(req.body.includes('***'), req.body);
    }
  });

  it('sends only the kinds a target is on, and ignores other events', async () => {
    const r = await receiver();
    const { n } = notifier();
    const targets: NotifyTarget[] = [{ type: 'webhook', url: r.url, on: ['failed', 'degraded'] }];
    for (const type of [
      'Deploying',
      'Deployed',
      'DeployFailed',
      'BuildFailed',
      'RolledBack',
      'HealthDegraded',
      'Scaled',
    ])
      n.notify(event(type), targets);
    await n.idle();
    assert.deepEqual(
      r.received.map((q) => [q.headers['x-wandol-event'], json(q.body).event]),
      [
        ['failed', 'DeployFailed'],
        ['failed', 'BuildFailed'],
        ['degraded', 'HealthDegraded'],
      ],
    );
  });

  it('logs the target type and its URL cut to scheme and host, never the token path', async () => {
    const r = await receiver(() => ({ status: 404, body: 'Unknown Webhook' }));
    const { n, logs } = notifier();
    n.notify(event('Deployed'), [{ type: 'discord', url: `${r.url}/api/webhooks/123/t0k3n-path`, on: ALL }]);
    await n.idle();
    const text = JSON.stringify(logs);
    assert.ok(!text.includes('t0k3n-path'), text);
    assert.equal(logs.at(-1)?.url, `${r.url}/…`);
    assert.equal(logs.at(-1)?.type, 'discord');
  });
});
