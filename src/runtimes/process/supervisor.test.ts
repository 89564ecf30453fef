import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { silentLogger } from '../../core/logger.js';
import { tempDir } from '../../../test/support/temp-dir.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { Supervisor } from './supervisor.js';
import { isAlive, killGroup, testSpec } from './supervisor-fixtures.js';

describe('Supervisor', () => {
  const tmp = tempDir('wandol-supervisor-');
  const stateFile = join(tmp.path, 'run', 'instances.json');
  const supervisors: Supervisor[] = [];
  const pids: number[] = [];

  const supervisor = (env?: NodeJS.ProcessEnv): Supervisor => {
    const s = new Supervisor({ stateFile, logger: silentLogger, env });
    supervisors.push(s);
    return s;
  };
  const logOf = (app: string): string => {
    const file = join(tmp.path, 'logs', `${app}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };

  afterEach(async () => {
    await Promise.all(supervisors.splice(0).map((s) => s.close()));
    for (const pid of pids.splice(0)) killGroup(pid);
  });
  after(() => tmp.cleanup());

  it('appends prefixed stdout/stderr lines, partial last line included, and the file outlives the instance', async () => {
    const s = supervisor();
    const command = 'echo hello; echo oops >&2; printf partial';
    await s.start(testSpec(tmp.path, 'logs-1-blue-0', command));
    await s.start(testSpec(tmp.path, 'logs-1-blue-1', 'echo second'));
    await waitFor('both instances to exit', () => s.list('logs').every((i) => i.phase === 'Exited'));
    await s.stopAll();
    const lines = await waitFor('four log lines', () => {
      const all = logOf('logs').trimEnd().split('\n');
      return all.length >= 4 && all;
    });
    const prefix = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z logs-1-blue-\d (out|err) \| /;
    assert.ok(
      lines.every((line) => prefix.test(line)),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => l.endsWith('logs-1-blue-0 out | hello')));
    assert.ok(lines.some((l) => l.endsWith('logs-1-blue-0 err | oops')));
    assert.ok(lines.some((l) => l.endsWith('logs-1-blue-0 out | partial')));
    assert.ok(lines.some((l) => l.endsWith('logs-1-blue-1 out | second')));
  });

  it('gives the instance PORT, HOST, WANDOL_* and the spec env, but not the rest of its own env', async () => {
    const s = supervisor({ PATH: process.env.PATH, HOME: '/tmp', AGENT_SECRET: 'hunter2' });
    const command =
      'echo "env $PORT $HOST $WANDOL_INSTANCE $WANDOL_RELEASE $GREETING ${AGENT_SECRET:-unset}"';
    const spec = testSpec(tmp.path, 'env-7-green-0', command, { releaseId: 7, env: { GREETING: 'hi' } });
    const instance = await s.start(spec);
    assert.deepEqual(instance.endpoint?.host, '127.0.0.1');
    const expected = `env ${instance.endpoint?.port} 127.0.0.1 env-7-green-0 7 hi unset`;
    await waitFor('the env line in the log', () => logOf('env').includes(expected));
  });

  it('sends SIGTERM to the group, then SIGKILL after the grace period when it is ignored', async () => {
    const s = supervisor();
    const command = "trap '' TERM; echo ready; while :; do sleep 0.1; done";
    const spec = testSpec(tmp.path, 'stubborn-1-blue-0', command, { terminationGracePeriodMs: 300 });
    const { pid } = await s.start(spec);
    pids.push(pid ?? 0);
    await waitFor('the instance to be ready', () => logOf('stubborn').includes('out | ready'));
    await s.stop(spec.id);
    const exited = s.get(spec.id);
    assert.equal(exited?.phase, 'Exited');
    assert.equal(exited?.signal, 'SIGKILL');
    assert.equal(isAlive(pid ?? 0), false);
  });

  it('lets a child that handles SIGTERM exit by itself', async () => {
    const s = supervisor();
    const command = "trap 'echo got-term; exit 0' TERM; echo ready; while :; do sleep 0.1; done";
    const spec = testSpec(tmp.path, 'polite-1-blue-0', command);
    await s.start(spec);
    await waitFor('the instance to be ready', () => logOf('polite').includes('out | ready'));
    await s.stop(spec.id);
    assert.equal(s.get(spec.id)?.exitCode, 0);
    await waitFor('the trap output', () => logOf('polite').includes('out | got-term'));
  });

  it('kills the whole process group, grandchildren that ignore SIGTERM included', async () => {
    const s = supervisor();
    const command = '(trap \'\' TERM; exec sleep 1000) & echo "grandchild $!"; wait';
    const spec = testSpec(tmp.path, 'family-1-blue-0', command, { terminationGracePeriodMs: 300 });
    const { pid } = await s.start(spec);
    pids.push(pid ?? 0);
    const line = await waitFor(
      'the grandchild pid',
      () => /grandchild (\d+)/.exec(logOf('family')) ?? undefined,
    );
    const grandchild = Number(line[1]);
    assert.ok(isAlive(grandchild));
    await s.stop(spec.id);
    await waitFor('the grandchild to be gone', () => !isAlive(grandchild), 5_000);
  });

  it('records running children in the state file and drops them once gone', async () => {
    const s = supervisor();
    const spec = testSpec(tmp.path, 'state-1-blue-0', 'sleep 1000');
    const { pid } = await s.start(spec);
    pids.push(pid ?? 0);
    const recorded = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      id: string;
      pid: number;
      pgid: number;
    }[];
    assert.deepEqual(
      recorded.map((r) => [r.id, r.pid, r.pgid]),
      [[spec.id, pid, pid]],
    );
    await s.stop(spec.id);
    assert.deepEqual(JSON.parse(readFileSync(stateFile, 'utf8')), []);
    await s.forget(spec.id);
    assert.equal(s.get(spec.id), undefined);
  });

  it('refuses a spec without a command or with a missing workdir, and forget of a running instance', async () => {
    const s = supervisor();
    await assert.rejects(s.start(testSpec(tmp.path, 'bad-1-blue-0', ' ')), { code: 'INVALID_CONFIG' });
    const missing = testSpec(tmp.path, 'bad-1-blue-1', 'true', { workdir: join(tmp.path, 'nope') });
    await assert.rejects(s.start(missing), { code: 'NOT_FOUND' });
    const { pid } = await s.start(testSpec(tmp.path, 'bad-1-blue-2', 'sleep 1000'));
    pids.push(pid ?? 0);
    await assert.rejects(s.forget('bad-1-blue-2'), { code: 'CONFLICT' });
    assert.deepEqual(
      s.list('bad').map((i) => i.id),
      ['bad-1-blue-2'],
    );
  });
});
