import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { waitFor } from '../../test/support/wait-for.js';
import { groupPids, groupUsage, readProcStat } from './proc-stats.js';

test('reads this process: memory and CPU time are positive', () => {
  const stat = readProcStat(process.pid);
  assert.ok(stat);
  assert.ok(stat.rssBytes > 1024 * 1024);
  assert.ok(stat.cpuSeconds >= 0);
  assert.equal(readProcStat(2 ** 22 + 12345), undefined);
});

test('a process group is summed over its processes, grandchildren included', async () => {
  const child = spawn('/bin/sh', ['-c', 'sleep 30 & sleep 30 & wait'], { detached: true, stdio: 'ignore' });
  try {
    const pids = await waitFor('three processes in the group', () => {
      const found = groupPids(child.pid!);
      return found.length === 3 ? found : undefined;
    });
    assert.ok(pids.includes(child.pid!));
    assert.ok(groupUsage(child.pid!).rssBytes > 0);
  } finally {
    process.kill(-child.pid!, 'SIGKILL');
  }
});
