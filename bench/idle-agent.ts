// The agent at rest with 50 registered apps (each a tiny worker: `sleep`, polled every 10 s),
// measured from outside: resident memory and CPU over an idle minute of the agent process (its own,
// and its git fetches apart) and of the data-plane process, beside the same figures for a bare
// `node -e` process as the reference. Run: npm run bench -- idle
import { spawn } from 'node:child_process';
import { readAgentInfo } from '../src/api/agent-info.js';
import { ApiClient } from '../src/api/client.js';
import { dataLayout } from '../src/core/data-layout.js';
import { readProcStat } from '../src/platform/proc-stats.js';
import { readFileSync } from 'node:fs';
import { spawnAgentProcess, stopDataplane } from '../test/support/agent-harness.js';
import { freePort } from '../test/support/free-port.js';
import { gitFixture } from '../test/support/git-fixture.js';
import { tempDir } from '../test/support/temp-dir.js';
import { waitFor } from '../test/support/wait-for.js';

const APPS = Number(process.env.APPS ?? 50);
const IDLE_MS = Number(process.env.IDLE_MS ?? 60_000);

/** RSS, and CPU seconds of the process itself (utime+stime), without its reaped children (git). */
function sample(pid: number): { rssMb: number; cpuSeconds: number; withChildren: number } {
  const stat = readProcStat(pid);
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    rssMb: Math.round(((stat?.rssBytes ?? 0) / 1048576) * 10) / 10,
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100,
    withChildren: stat?.cpuSeconds ?? 0,
  };
}

/** Runs the benchmark and returns its figures. */
export async function idleAgentBench(): Promise<Record<string, number>> {
  const dir = tempDir('wandol-bench-');
  const dataDir = `${dir.path}/data`;
  const agent = spawnAgentProcess(dataDir, await freePort(), await freePort());
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    const info = await waitFor('agent.json', () => readAgentInfo(dataDir).catch(() => undefined), 30_000);
    const client = new ApiClient({ baseUrl: info.apiUrl, token: info.token });
    await waitFor('agent answers', () => client.healthz(), 30_000);
    for (let i = 0; i < APPS; i++) {
      const repo = gitFixture(dir.path, `app${i}`);
      repo.commit(
        { 'wandol.yaml': 'run: { command: "sleep 3600" }\nbuild: { command: "true" }\n' },
        'worker',
      );
      await client.addApp({ name: `app${i}`, repo: repo.remote, pollMs: 10_000 });
    }
    await waitFor(
      'every app Healthy',
      async () => (await client.statuses()).every((s) => s.health === 'Healthy'),
      300_000,
      1000,
    );
    const dataplanePid = Number(readFileSync(dataLayout(dataDir).dataplanePid, 'utf8'));
    const before = { agent: sample(info.pid), dataplane: sample(dataplanePid), bare: sample(bare.pid!) };
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const after = { agent: sample(info.pid), dataplane: sample(dataplanePid), bare: sample(bare.pid!) };
    const cpuPct = (k: keyof typeof after): number =>
      Math.round(((after[k].cpuSeconds - before[k].cpuSeconds) / (IDLE_MS / 1000)) * 1000) / 10;
    const childPct =
      Math.round(
        ((after.agent.withChildren -
          before.agent.withChildren -
          (after.agent.cpuSeconds - before.agent.cpuSeconds)) /
          (IDLE_MS / 1000)) *
          1000,
      ) / 10;
    await client.shutdown({ dataplane: true });
    return {
      apps: APPS,
      idleSeconds: IDLE_MS / 1000,
      agentRssMb: after.agent.rssMb,
      agentIdleCpuPct: cpuPct('agent'),
      gitPollCpuPct: childPct,
      dataplaneRssMb: after.dataplane.rssMb,
      dataplaneIdleCpuPct: cpuPct('dataplane'),
      bareNodeRssMb: after.bare.rssMb,
      bareNodeIdleCpuPct: cpuPct('bare'),
    };
  } finally {
    agent.kill('SIGKILL');
    bare.kill('SIGKILL');
    await stopDataplane(dataDir).catch(() => undefined);
    dir.cleanup();
  }
}
