import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { WandolError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { createApiServer } from './api-server.js';
import { FakeAgentService } from './fake-agent-service.js';
import { scaleRoutes } from './scale-routes.js';
import type { ApiErrorBody, AppStatus } from './wire.js';

// FakeAgentService stands in for the agent: these tests cover the route over a real socket.
const TOKEN = 'test-token-0123456789';

describe('PUT /api/v1/apps/:name/replicas', () => {
  let service: FakeAgentService;
  let server: Server;
  let base: string;

  before(async () => {
    service = new FakeAgentService();
    await service.addApp({ name: 'hello', repo: '/r.git' });
    server = createApiServer({ service, token: TOKEN, logger: silentLogger, routes: scaleRoutes });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const put = (app: string, body: string | undefined, token = TOKEN) =>
    fetch(`${base}/api/v1/apps/${app}/replicas`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
  const scaleCalls = () => service.calls.filter((c) => c.method === 'scale').map((c) => c.args);

  for (const replicas of [0, 3, 100]) {
    it(`scales to ${replicas} and answers the app's status`, async () => {
      const res = await put('hello', JSON.stringify({ replicas }));
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as AppStatus).name, 'hello');
      assert.deepEqual(scaleCalls().at(-1), ['hello', replicas]);
    });
  }

  const bad: [string, string | undefined, RegExp][] = [
    ['no body', undefined, /JSON object/],
    ['not JSON', '{replicas: 2', /not valid JSON/],
    ['a list', '[2]', /JSON object/],
    ['no replicas', '{}', /replicas: required, a whole number from 0 to 100/],
    ['a negative count', '{"replicas":-1}', /replicas: required/],
    ['more than 100', '{"replicas":101}', /replicas: required/],
    ['a fraction', '{"replicas":1.5}', /replicas: required/],
    ['a string', '{"replicas":"2"}', /replicas: required/],
    ['an unknown field', '{"replicas":2,"force":true}', /force: unknown field \(accepted: replicas\)/],
  ];
  for (const [label, body, message] of bad) {
    it(`answers 400 USAGE to ${label}, without calling the agent`, async () => {
      const before = scaleCalls().length;
      const res = await put('hello', body);
      assert.equal(res.status, 400);
      const { error } = (await res.json()) as ApiErrorBody;
      assert.equal(error.code, 'USAGE');
      assert.match([error.message, ...error.details].join('\n'), message);
      assert.equal(scaleCalls().length, before);
    });
  }

  it('answers 400 to a bad app name, 404 to an unknown app and 401 without the token', async () => {
    assert.equal((await put('Bad%20Name', '{"replicas":1}')).status, 400);
    assert.equal((await put('nope', '{"replicas":1}')).status, 404);
    assert.equal((await put('hello', '{"replicas":1}', 'wrong')).status, 401);
  });

  it("passes the agent's refusal on: 409 CONFLICT while autoscaling is on", async () => {
    service.failNext = new WandolError('CONFLICT', 'hello is autoscaled: change autoscale in wandol.yaml');
    const res = await put('hello', '{"replicas":2}');
    assert.equal(res.status, 409);
    assert.equal(((await res.json()) as ApiErrorBody).error.code, 'CONFLICT');
  });
});
