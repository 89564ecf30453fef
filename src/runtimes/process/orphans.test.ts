import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../core/logger.js';
import { tempDir } from '../../../test/support/temp-dir.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { writeStateFile, type ChildRecord } from './state-file.js';
import { Supervisor } from './supervisor.js';
import { isAlive, killGroup } from './supervisor-fixtures.js';

/** A detached `sleep` group, as a crashed data plane would leave one behind. */
function leftover(env: Record<string, string>): number {
  const child = spawn('/bin/sh', ['-c', 'sleep 1000; true'], {
    detached: true,
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
  child.unref();
  return child.pid ?? 0;
}

function record(id: string, pid: number): ChildRecord {
  return { id, app: 'orphan', pid, pgid: pid, startedAt: Date.now(), terminationGracePeriodMs: 2_000 };
}

describe('orphan cleanup', () => {
  const tmp = tempDir('wandol-orphans-');
  const started: number[] = [];
  after(() => {
    for (const pid of started) killGroup(pid);
    tmp.cleanup();
  });

  it('stops a recorded group only when /proc shows it carries its WANDOL_INSTANCE marker', async () => {
    const ours = leftover({ WANDOL_INSTANCE: 'orphan-1-blue-0' });
    const stranger = leftover({ WANDOL_INSTANCE: 'someone-else' });
    const unmarked = leftover({});
    started.push(ours, stranger, unmarked);
    await waitFor('the leftovers to run', () => [ours, stranger, unmarked].every(isAlive));
    const stateFile = join(tmp.path, 'run', 'instances.json');
    writeStateFile(stateFile, [
      record('orphan-1-blue-0', ours),
      record('orphan-1-blue-1', stranger),
      record('orphan-1-blue-2', unmarked),
    ]);

    const supervisor = new Supervisor({ stateFile, logger: silentLogger });
    assert.equal(await supervisor.orphansCleaned, 1);
    await waitFor('our orphan to be gone', () => !isAlive(ours));
    assert.ok(isAlive(stranger), 'a group with another marker is left alone');
    assert.ok(isAlive(unmarked), 'a group without a marker is left alone');
    await supervisor.close();
  });
});
