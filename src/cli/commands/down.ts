import { readAgentInfo, type AgentInfo } from '../../api/agent-info.js';
import { ApiClient } from '../../api/client.js';
import { sleep } from '../../core/clock.js';
import { dataLayout } from '../../core/data-layout.js';
import { hasCode, WandolError } from '../../core/errors.js';
import { parseCommandArgs, type ArgSpec } from '../args.js';
import { println } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { EXIT_OK } from '../exit-code.js';

const spec: ArgSpec = { command: 'wandol down', options: {} };
const DEADLINE_MS = 30_000;

/** `wandol down`: stops the agent, the router and every instance under the data dir. */
export const down: Command = {
  name: 'down',
  summary: 'stop the agent, the router and every app instance',
  usage: `usage: wandol down [--data DIR]

Stops everything wandol runs for DIR: the agent, the router (data plane) and every app instance.
Waits until they are gone (30 s at most each). Exits 0 when nothing was running.
`,
  async run(args, ctx) {
    const { values } = parseCommandArgs(spec, args);
    const dataDir = dataDirOf(values, ctx);
    const info = await readAgentInfo(dataDir).catch(() => undefined);
    const agentPid = info ? await stopAgent(info, dataLayout(dataDir).agentJson) : undefined;
    if (agentPid !== undefined) println(ctx.io.out, `stopped the agent (pid ${agentPid})`);
    const dataplanePid = await stopDataplane(dataLayout(dataDir).dataplaneSocket);
    if (dataplanePid !== undefined)
      println(ctx.io.out, `stopped the router and the apps (data plane pid ${dataplanePid})`);
    if (agentPid === undefined && dataplanePid === undefined)
      println(ctx.io.out, `nothing was running for ${dataDir}`);
    else if (agentPid !== undefined && dataplanePid === undefined)
      println(ctx.io.out, 'the router and the apps are stopped');
    return EXIT_OK;
  },
};

/** Asks the agent to stop everything and waits until its process is gone; undefined if none answered. */
async function stopAgent(info: AgentInfo, agentJson: string): Promise<number | undefined> {
  const client = new ApiClient({ baseUrl: info.apiUrl, token: info.token, agentInfoPath: agentJson });
  try {
    await client.shutdown({ dataplane: true });
  } catch (err) {
    if (hasCode(err, 'AGENT_UNREACHABLE')) return undefined;
    throw err;
  }
  await until(
    () => !alive(info.pid),
    `the agent (pid ${info.pid}) still runs ${DEADLINE_MS / 1000} s after its shutdown`,
  );
  return info.pid;
}

/**
 * Stops the data plane directly if it still answers on its socket (the agent was not running, or
 * did not stop it), and waits until the socket is silent and its process gone. undefined if none answered.
 */
async function stopDataplane(socketPath: string): Promise<number | undefined> {
  const { DataplaneClient } = await import('../../dataplane/control-client.js');
  const client = new DataplaneClient(socketPath);
  try {
    const health = await client.health().catch(() => undefined);
    if (!health) return undefined;
    await client.shutdown().catch((err: unknown) => {
      if (!hasCode(err, 'DATAPLANE_UNREACHABLE')) throw err;
    });
    await until(
      async () => (await client.health(1000).catch(() => undefined)) === undefined && !alive(health.pid),
      `the data plane (pid ${health.pid}) still runs ${DEADLINE_MS / 1000} s after its shutdown`,
    );
    return health.pid;
  } finally {
    client.close();
  }
}

async function until(check: () => boolean | Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new WandolError('TIMEOUT', failure);
    await sleep(200);
  }
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
