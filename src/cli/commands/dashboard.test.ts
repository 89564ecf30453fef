import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeAgentInfo } from '../../api/agent-info.js';
import { createApiServer } from '../../api/api-server.js';
import { dashboardRoutes } from '../../api/dashboard-routes.js';
import { FakeAgentService } from '../../api/fake-agent-service.js';
import { silentLogger } from '../../core/logger.js';
import { SessionStore } from '../../dashboard/sessions.js';
import { openDatabase } from '../../store/database.js';
import { MetricStore } from '../../store/metric-store.js';
import { tempDir } from '../../../test/support/temp-dir.js';
import { captureIo } from '../capture-io.js';
import { main } from '../main.js';

// FakeAgentService stands in for the agent behind a real API server with the real dashboard routes.
const dir = tempDir('wandol-cli-dashboard-');
after(() => dir.cleanup());

describe('wandol dashboard', () => {
  const data = join(dir.path, 'data');
  const sessions = new SessionStore();
  let server: Server;
  let base: string;

  before(async () => {
    server = createApiServer({
      service: new FakeAgentService(),
      token: 'tok',
      logger: silentLogger,
      sessions,
      routes: dashboardRoutes({ sessions, store: new MetricStore(openDatabase(':memory:')) }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    await writeAgentInfo(data, {
      apiUrl: base,
      token: 'tok',
      pid: spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999,
      dataDir: data,
      httpPort: 8080,
      startedAt: new Date().toISOString(),
    });
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
    const io = captureIo({ cwd: dir.path, env });
    const code = await main(args, io);
    return { code, out: io.stdout(), err: io.stderr() };
  }

  it('--print-url prints only a one-time login link that works once', async () => {
    const { code, out, err } = await cli(['dashboard', '--print-url', '--data', data]);
    assert.equal(code, 0, err);
    const url = out.trim();
    assert.match(url, new RegExp(`^${base}/login\\?code=[A-Za-z0-9_-]{43}$`));
    const first = await fetch(url, { redirect: 'manual' });
    assert.equal(first.status, 303);
    assert.match(first.headers.get('set-cookie') ?? '', /^wandol_session=/);
    assert.equal((await fetch(url, { redirect: 'manual' })).status, 401);
  });

  it('without --print-url tries a browser, ignores its failure and prints the link anyway', async () => {
    const { code, out } = await cli(['dashboard', '--data', data], {
      BROWSER: join(dir.path, 'no-such-browser'),
    });
    assert.equal(code, 0);
    assert.match(out, /Opening the dashboard/);
    assert.match(out, new RegExp(`${base}/login\\?code=`));
  });

  it('--logout-all ends every open session', async () => {
    const link = (await cli(['dashboard', '--print-url', '--data', data])).out.trim();
    const cookie = (await fetch(link, { redirect: 'manual' })).headers.get('set-cookie')?.split(';')[0] ?? '';
    assert.equal((await fetch(`${base}/api/v1/apps`, { headers: { cookie } })).status, 200);
    const { code, out, err } = await cli(['dashboard', '--logout-all', '--data', data]);
    assert.equal(code, 0, err);
    assert.match(out, /^logged out \d+ dashboard sessions?\n$/);
    assert.equal((await fetch(`${base}/api/v1/apps`, { headers: { cookie } })).status, 401);
  });

  it('is a usage error with an argument, and explains itself', async () => {
    const bad = await cli(['dashboard', 'extra', '--data', data]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unexpected argument "extra"/);
    const help = await cli(['dashboard', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /usage: wandol dashboard \[--print-url \| --logout-all\]/);
  });

  it('says how to start the agent when none runs', async () => {
    const { code, err } = await cli(['dashboard', '--data', join(dir.path, 'empty')]);
    assert.equal(code, 1);
    assert.match(err, /wandol up/);
  });
});
