import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { writeAgentInfo } from '../../api/agent-info.js';
import { createApiServer } from '../../api/api-server.js';
import { FakeAgentService } from '../../api/fake-agent-service.js';
import { secretRoutes } from '../../api/secret-routes.js';
import { silentLogger } from '../../core/logger.js';
import { tempDir } from '../../../test/support/temp-dir.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { captureIo } from '../capture-io.js';
import { main } from '../main.js';

const dir = tempDir('wandol-cli-secret-');
after(() => dir.cleanup());

/** A stdin that looks like a terminal: raw mode is recorded, keystrokes are written by the test. */
class FakeTty extends PassThrough {
  readonly isTTY = true;
  readonly rawModes: boolean[] = [];
  setRawMode(raw: boolean): this {
    this.rawModes.push(raw);
    return this;
  }
}

// FakeAgentService stands in for the agent behind a real API server with the secret routes.
describe('wandol secret', () => {
  const data = join(dir.path, 'data');
  const service = new FakeAgentService();
  let server: Server;

  before(async () => {
    await service.addApp({ name: 'demo', repo: '/r.git' });
    server = createApiServer({ service, token: 'tok', logger: silentLogger, routes: secretRoutes });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await writeAgentInfo(data, {
      apiUrl: `http://127.0.0.1:${port}`,
      token: 'tok',
      pid: spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999,
      dataDir: data,
      httpPort: 8080,
      startedAt: new Date().toISOString(),
    });
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const cli = async (args: string[], stdin: NodeJS.ReadableStream = Readable.from([])) => {
    const io = { ...captureIo({ cwd: dir.path, env: { WANDOL_DATA: data } }), stdin };
    const code = await main(args, io);
    return { code, out: io.stdout(), err: io.stderr() };
  };
  const stored = (key: string): string | undefined => service.secrets.get('demo')?.get(key);

  it('set reads all of stdin, strips one trailing newline and never prints the value', async () => {
    const value = 'line-one\nline-two-canary\n';
    const { code, out, err } = await cli(['secret', 'set', 'demo', 'CERT'], Readable.from([`${value}\n`]));
    assert.equal(code, 0, err);
    assert.equal(stored('CERT'), value);
    assert.match(out, /set secret CERT of demo/);
    assert.ok(!`${out}${err}`.includes('canary'));
    await cli(['secret', 'set', 'demo', 'TOKEN'], Readable.from(['tok-canary-1\r\n']));
    assert.equal(stored('TOKEN'), 'tok-canary-1');
  });

  it('set refuses an empty value, a bad key and a missing KEY with exit 2', async () => {
    const empty = await cli(['secret', 'set', 'demo', 'EMPTY'], Readable.from(['\n']));
    assert.equal(empty.code, 2);
    assert.match(empty.err, /no value for EMPTY on stdin/);
    assert.equal(stored('EMPTY'), undefined);
    const bad = await cli(['secret', 'set', 'demo', '1BAD'], Readable.from(['x']));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /invalid secret name "1BAD"/);
    const missing = await cli(['secret', 'set', 'demo']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /missing KEY/);
    const ghost = await cli(['secret', 'set', 'ghost', 'TOKEN'], Readable.from(['x']));
    assert.equal(ghost.code, 1);
    assert.match(ghost.err, /no app named ghost/);
  });

  it('set on a terminal prompts on stderr and reads one hidden line in raw mode', async () => {
    const tty = new FakeTty();
    const running = cli(['secret', 'set', 'demo', 'TYPED'], tty);
    await waitFor('raw mode', () => tty.rawModes.length === 1);
    tty.write('typed-secretX');
    tty.write('\u007f-canary\r');
    const { code, err } = await running;
    assert.equal(code, 0, err);
    assert.equal(stored('TYPED'), 'typed-secret-canary');
    assert.equal(err, 'value for TYPED: \n');
    assert.deepEqual(tty.rawModes, [true, false]);

    const cancelled = new FakeTty();
    const aborted = cli(['secret', 'set', 'demo', 'NEVER'], cancelled);
    await waitFor('raw mode', () => cancelled.rawModes.length === 1);
    cancelled.write('abc\u0003');
    const result = await aborted;
    assert.equal(result.code, 1);
    assert.match(result.err, /cancelled: no secret was set/);
    assert.equal(stored('NEVER'), undefined);
    assert.deepEqual(cancelled.rawModes, [true, false]);
  });

  it('ls prints names and ages, or JSON, never values', async () => {
    const { code, out } = await cli(['secret', 'ls', 'demo']);
    assert.equal(code, 0);
    assert.match(out, /^NAME +UPDATED\nCERT +\S+ ago\nTOKEN +\S+ ago\nTYPED +\S+ ago\n$/);
    const json = JSON.parse((await cli(['secret', 'ls', 'demo', '--json'])).out) as { name: string }[];
    assert.deepEqual(
      json.map((s) => s.name),
      ['CERT', 'TOKEN', 'TYPED'],
    );
    assert.ok(json.every((s) => Object.keys(s).sort().join() === 'name,updatedAt'));
  });

  it('rm removes, idempotently; ls then says there is none', async () => {
    for (const key of ['CERT', 'TOKEN', 'TYPED', 'TYPED']) {
      const { code, out } = await cli(['secret', 'rm', 'demo', key]);
      assert.equal(code, 0);
      assert.equal(out, `removed secret ${key} of demo\n`);
    }
    assert.match((await cli(['secret', 'ls', 'demo'])).out, /no secrets of demo yet/);
  });

  it('secret without a subcommand lists the subcommands', async () => {
    const { code, err } = await cli(['secret']);
    assert.equal(code, 2);
    assert.match(err, /secret set +store a secret/);
    assert.match(err, /secret ls/);
    assert.match(err, /secret rm/);
  });
});
