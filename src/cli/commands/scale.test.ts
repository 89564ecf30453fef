import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeAgentInfo } from '../../api/agent-info.js';
import { createApiServer } from '../../api/api-server.js';
import { FakeAgentService } from '../../api/fake-agent-service.js';
import { scaleRoutes } from '../../api/scale-routes.js';
import { WandolError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { tempDir } from '../../../test/support/temp-dir.js';
import { captureIo } from '../capture-io.js';
import { main } from '../main.js';

const dir = tempDir('wandol-cli-scale-');
after(() => dir.cleanup());

/** Runs the CLI in-process with an empty data dir unless --data is given. */
async function cli(args: string[]) {
  const io = captureIo({ cwd: dir.path, env: {} });
  const code = await main(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('wandol scale: usage errors exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['a missing NAME', ['scale'], /missing NAME/],
    ['a missing N', ['scale', 'hello'], /missing N/],
    ['a negative N', ['scale', 'hello', '--', '-1'], /N must be a whole number from 0 to 100, not "-1"/],
    ['N above 100', ['scale', 'hello', '101'], /N must be a whole number from 0 to 100, not "101"/],
    ['a fractional N', ['scale', 'hello', '1.5'], /N must be a whole number/],
    ['a word for N', ['scale', 'hello', 'two'], /N must be a whole number/],
    ['a bad app name', ['scale', 'bad;name', '2'], /invalid app name/],
    ['an extra argument', ['scale', 'hello', '2', '3'], /unexpected argument "3"/],
  ];
  for (const [label, args, message] of cases) {
    it(label, async () => {
      const { code, err } = await cli(args);
      assert.equal(code, 2, err);
      assert.match(err, /^error: /);
      assert.match(err, message);
    });
  }
  it('--help explains it', async () => {
    const { code, out } = await cli(['scale', '--help']);
    assert.equal(code, 0);
    assert.match(out, /usage: wandol scale NAME N/);
  });
});

// FakeAgentService stands in for the agent behind a real API server: these check the request and
// the output; the real agent is driven end to end by the e2e tier.
describe('wandol scale against the API', () => {
  const data = join(dir.path, 'data');
  const service = new FakeAgentService();
  let server: Server;

  before(async () => {
    await service.addApp({ name: 'hello', repo: '/r.git' });
    server = createApiServer({ service, token: 'tok', logger: silentLogger, routes: scaleRoutes });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;
    await writeAgentInfo(data, {
      apiUrl: `http://127.0.0.1:${port}`,
      token: 'tok',
      pid: deadPid,
      dataDir: data,
      httpPort: 8080,
      startedAt: new Date().toISOString(),
    });
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const scaleCalls = () => service.calls.filter((c) => c.method === 'scale').map((c) => c.args);

  it('scales and says so', async () => {
    for (const [n, text] of [
      ['3', 'hello scaled to 3 replicas'],
      ['1', 'hello scaled to 1 replica'],
      ['0', 'hello scaled to 0 replicas'],
      ['100', 'hello scaled to 100 replicas'],
    ] as const) {
      const { code, out, err } = await cli(['scale', 'hello', n, '--data', data]);
      assert.equal(code, 0, err);
      assert.equal(out, `${text}\n`);
      assert.deepEqual(scaleCalls().at(-1), ['hello', Number(n)]);
    }
  });

  it('--json prints the status', async () => {
    const { code, out } = await cli(['--data', data, 'scale', 'hello', '2', '--json']);
    assert.equal(code, 0);
    assert.equal((JSON.parse(out) as { name: string }).name, 'hello');
  });

  it('exits 1 with the agent message when it refuses', async () => {
    service.failNext = new WandolError(
      'CONFLICT',
      'hello is autoscaled (min 1, max 4): change autoscale in wandol.yaml',
    );
    const { code, err } = await cli(['scale', 'hello', '2', '--data', data]);
    assert.equal(code, 1);
    assert.match(err, /^error: hello is autoscaled/);
    const unknown = await cli(['scale', 'nope', '2', '--data', data]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no app named nope/);
  });
});
