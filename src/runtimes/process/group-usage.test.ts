import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { waitFor } from '../../../test/support/wait-for.js';
import { groupPids, groupUsage } from '../../platform/proc-stats.js';
import { nextUsage, sampleGroups } from './group-usage.js';
import { killGroup } from './supervisor-fixtures.js';

describe('sampleGroups', () => {
  const groups: ChildProcess[] = [];
  const group = (command: string): number => {
    const child = spawn('/bin/sh', ['-c', command], { detached: true, stdio: 'ignore' });
    groups.push(child);
    return child.pid ?? 0;
  };
  after(() => groups.forEach((child) => killGroup(child.pid)));

  it('sums several groups in one scan and leaves out groups with no live process', async () => {
    const one = group('sleep 30 & sleep 30 & wait');
    const two = group('sleep 30; true');
    const missing = 2 ** 22 + 4321;
    await waitFor(
      '3 and 2 processes running',
      () => groupPids(one).length === 3 && groupPids(two).length === 2,
    );
    const samples = await waitFor('both groups with every process started', () => {
      const found = sampleGroups(new Set([one, two, missing]));
      const expected = [groupUsage(one).rssBytes, groupUsage(two).rssBytes];
      // Processes come and go while sh forks: wait until a scan agrees with proc-stats' own sum.
      return found.get(one)?.rssBytes === expected[0] && found.get(two)?.rssBytes === expected[1] && found;
    });
    assert.equal(samples.has(missing), false);
    assert.ok((samples.get(one)?.rssBytes ?? 0) > (samples.get(two)?.rssBytes ?? 0));
    assert.deepEqual(sampleGroups(new Set()), new Map());
  });
});

describe('nextUsage', () => {
  it('rounds CPU to hundredths and never lets it go backwards', () => {
    const first = nextUsage(undefined, { cpuSeconds: 0.1 + 0.2, rssBytes: 1000 }, 5);
    assert.deepEqual(first, { cpuSeconds: 0.3, memoryBytes: 1000, sampledAt: 5 });
    const dip = nextUsage({ ...first, cpuSeconds: 2 }, { cpuSeconds: 1.5, rssBytes: 500 }, 6);
    assert.deepEqual(dip, { cpuSeconds: 2, memoryBytes: 500, sampledAt: 6 });
    assert.equal(nextUsage(dip, { cpuSeconds: 2.5, rssBytes: 0 }, 7).cpuSeconds, 2.5);
  });
});
