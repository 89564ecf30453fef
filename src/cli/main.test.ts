import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeAgentInfo } from '../api/agent-info.js';
import { createApiServer } from '../api/api-server.js';
import { FakeAgentService } from '../api/fake-agent-service.js';
import type { ReleaseRecord } from '../api/wire.js';
import { silentLogger } from '../core/logger.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { waitFor } from '../../test/support/wait-for.js';
import { captureIo } from './capture-io.js';
import { main } from './main.js';

const dir = tempDir('wandol-cli-');
after(() => dir.cleanup());

/** Runs the CLI in-process with an empty data dir unless --data is given. */
async function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const io = captureIo({ cwd: opts.cwd ?? dir.path, env: opts.env ?? {} });
  const code = await main(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('CLI usage errors exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['an unknown flag', ['status', '--frob'], /unknown option '--frob'/],
    ['an unknown global flag', ['--frob', 'status'], /unknown option "--frob"/],
    ['a missing NAME', ['deploy'], /missing NAME/],
    ['a missing --repo', ['app', 'add', 'demo'], /missing --repo/],
    [
      'a bad --poll',
      ['app', 'add', 'demo', '--repo', '/r.git', '--poll', 'abc'],
      /--poll must be a positive duration/,
    ],
    ['a bad app name', ['app', 'add', 'bad;name', '--repo', '/r.git'], /invalid app name/],
    ['a bad --tail', ['logs', 'demo', '--tail', '-3'], /tail/],
    ['a flag without its value', ['deploy', 'demo', '--rev'], /argument missing/],
    ['an extra argument', ['history', 'demo', 'extra'], /unexpected argument "extra"/],
    ['an unknown app subcommand', ['app', 'frob'], /unknown command "app frob"/],
  ];
  for (const [label, args, message] of cases) {
    it(label, async () => {
      const { code, err } = await cli(args);
      assert.equal(code, 2, err);
      assert.match(err, /^error: /);
      assert.match(err, message);
    });
  }
  it('no command at all prints the usage to stderr', async () => {
    const { code, err } = await cli([]);
    assert.equal(code, 2);
    assert.match(err, /usage: wandol/);
  });
});

describe('CLI help exits 0', () => {
  for (const args of [
    ['--help'],
    ['-h'],
    ['status', '--help'],
    ['app', '--help'],
    ['app', 'add', '-h'],
    ['up', '--help'],
  ]) {
    it(args.join(' '), async () => {
      const { code, out } = await cli(args);
      assert.equal(code, 0);
      assert.match(out, /usage: wandol/);
    });
  }
  it('--version', async () => {
    const { code, out } = await cli(['--version']);
    assert.equal(code, 0);
    assert.match(out, /^wandol \d+\.\d+\.\d+/);
  });
});

describe('CLI without an agent', () => {
  it('exits 1 saying how to start one', async () => {
    const { code, err } = await cli(['status'], { env: { WANDOL_DATA: join(dir.path, 'nothing') } });
    assert.equal(code, 1);
    assert.match(err, /^error: no agent runs for .*nothing: start it with `wandol up`/);
  });
  it('down exits 0 when nothing runs', async () => {
    const { code, out } = await cli(['down', '--data', join(dir.path, 'nothing')]);
    assert.equal(code, 0);
    assert.match(out, /nothing was running/);
  });
});

// FakeAgentService stands in for the agent behind a real API server: these check the commands'
// requests and output; the real agent is driven end to end by the e2e tier and contract-smoke.sh.
describe('CLI commands against the API', () => {
  const data = join(dir.path, 'data');
  const service = new FakeAgentService();
  let server: Server;

  before(async () => {
    server = createApiServer({ service, token: 'tok', logger: silentLogger });
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

  it('app add makes a local repo path absolute and parses --poll', async () => {
    const { code, out } = await cli([
      '--data',
      data,
      'app',
      'add',
      'demo',
      '--repo',
      'repos/demo.git',
      '--poll',
      '2s',
    ]);
    assert.equal(code, 0);
    assert.match(out, /added app demo/);
    assert.deepEqual(service.calls.at(-1), {
      method: 'addApp',
      args: [{ name: 'demo', repo: join(dir.path, 'repos/demo.git'), pollMs: 2000 }],
    });
    const again = await cli([
      '--data',
      data,
      'app',
      'add',
      'demo',
      '--repo',
      'https://example.invalid/x.git',
    ]);
    assert.equal(again.code, 1);
    assert.match(again.err, /exists already/);
  });

  it('app ls, status and history print tables or JSON', async () => {
    const ls = await cli(['app', 'ls', '--json'], { env: { WANDOL_DATA: data } });
    assert.equal((JSON.parse(ls.out) as unknown[]).length, 1);
    assert.match((await cli(['app', 'ls', '--data', data])).out, /^NAME +REPO +BRANCH/);

    const all = await cli(['status', '--json', '--data', data]);
    assert.ok(Array.isArray(JSON.parse(all.out)));
    assert.match(
      (await cli(['status', '--data', data])).out,
      /^NAME +SYNC +HEALTH +REVISION +REPLICAS +URL\ndemo +Synced/,
    );
    const one = JSON.parse((await cli(['status', 'demo', '--json', '--data', data])).out) as { name: string };
    assert.equal(one.name, 'demo');
    assert.match((await cli(['status', 'demo', '--data', data])).out, /^Health: +Healthy$/m);
    const missing = await cli(['status', 'ghost', '--data', data]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^error: no app named ghost/);

    assert.match((await cli(['history', 'demo', '--data', data])).out, /no releases of demo yet/);
    await cli(['deploy', 'demo', '--data', data]);
    const history = JSON.parse(
      (await cli(['history', 'demo', '--json', '--data', data])).out,
    ) as ReleaseRecord[];
    assert.equal(history[0]?.app, 'demo');
  });

  it('deploy prints the release; --wait exits 0 on Succeeded and 1 on Failed with the details', async () => {
    const queued = await cli(['deploy', 'demo', '--rev', 'abc1234', '--data', data]);
    assert.equal(queued.code, 0);
    assert.match(queued.out, /^release \d+ of demo queued \(abc1234\)/);

    const finishNewest = async (patch: Partial<ReleaseRecord>): Promise<void> => {
      const before = service.releaseList.get('demo')?.length ?? 0;
      await waitFor('a new release', () => (service.releaseList.get('demo')?.length ?? 0) > before);
      const newest = service.releaseList.get('demo')?.[0];
      assert.ok(newest);
      newest.phase = 'Building';
      await new Promise((r) => setTimeout(r, 700));
      Object.assign(newest, patch);
    };
    const [ok] = await Promise.all([
      cli(['deploy', 'demo', '--wait', '--data', data]),
      finishNewest({
        status: 'Succeeded',
        phase: 'Live',
        traffic: { requests: 5, failed: 0, p99Ms: 3, window: 'closed' },
      }),
    ]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.err, /Building/);
    assert.match(ok.out, /Succeeded: 5 req, 0 failed, p99 3ms/);

    const [failed] = await Promise.all([
      cli(['deploy', 'demo', '--wait', '--data', data]),
      finishNewest({
        status: 'Failed',
        error: {
          code: 'NOT_READY',
          message: 'no instance became ready',
          details: ['GET /healthz answered 503'],
        },
      }),
    ]);
    assert.equal(failed.code, 1);
    assert.match(
      failed.err,
      /error: release \d+ of demo \(aaaaaaa\) Failed: no instance became ready\n {2}GET \/healthz answered 503/,
    );
  });

  it('logs prints the tail of the log', async () => {
    const file = join(dir.path, 'demo.log');
    writeFileSync(file, 'l1\nl2\nl3\n');
    service.logPaths.set('demo', file);
    const { code, out } = await cli(['logs', 'demo', '--tail', '2', '--data', data]);
    assert.equal(code, 0);
    assert.equal(out, 'l2\nl3\n');
  });

  it('down asks the agent to stop everything and waits for its process', async () => {
    const { code, out, err } = await cli(['down', '--data', data]);
    assert.equal(code, 0, err);
    assert.match(out, /stopped the agent/);
    await waitFor('the shutdown', () => service.shutdowns.length === 1);
    assert.deepEqual(service.shutdowns[0], { dataplane: true });
  });
});
