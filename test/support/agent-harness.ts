import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from '../../src/api/client.js';
import type { ReleaseRecord } from '../../src/api/wire.js';
import { startAgent, type RunningAgent } from '../../src/agent/agent.js';
import { jsonLogger } from '../../src/core/logger.js';
import { DataplaneClient } from '../../src/dataplane/control-client.js';
import { dataLayout } from '../../src/core/data-layout.js';
import { freePort } from './free-port.js';
import { gitFixture, type GitFixture } from './git-fixture.js';
import { get } from './load.js';
import { sampleAppFiles, sampleWandolYaml } from './sample-app.js';
import { waitFor } from './wait-for.js';

/** An agent started in this test process, with its data plane (a real daemon) and an API client. */
export interface TestAgent {
  agent: RunningAgent;
  client: ApiClient;
  dataDir: string;
  httpPort: number;
  /** Stops the agent and the data plane with every instance (what `wandol down` does). */
  down(): Promise<void>;
}

/** Starts a real agent on `dataDir` (API on a free port; logs in `<dataDir>/../agent-test.log`). */
export async function startTestAgent(
  dataDir: string,
  httpPort?: number,
  extra: { webhookSecretFile?: string; autoscaleIntervalMs?: number } = {},
): Promise<TestAgent> {
  const port = httpPort ?? (await freePort());
  const logFile = join(dataDir, '..', 'agent-test.log');
  const agent = await startAgent({
    dataDir,
    apiPort: 0,
    httpPort: port,
    listenHost: '127.0.0.1',
    logger: jsonLogger((line) => appendFileSync(logFile, line), 'debug'),
    reconcileIntervalMs: 300,
    ...extra,
  });
  const client = new ApiClient({ baseUrl: agent.apiUrl, token: agent.token });
  return {
    agent,
    client,
    dataDir,
    httpPort: port,
    down: async () => {
      await client.shutdown({ dataplane: true }).catch(() => undefined);
      await agent.done;
      await stopDataplane(dataDir);
    },
  };
}

/** Makes sure no data plane of `dataDir` is left running (after a test that killed its agent). */
export async function stopDataplane(dataDir: string): Promise<void> {
  const client = new DataplaneClient(dataLayout(dataDir).dataplaneSocket);
  if (await client.health().catch(() => undefined)) await client.shutdown().catch(() => undefined);
  await waitFor('data plane gone', async () => !(await client.health().catch(() => undefined)), 20_000);
  client.close();
}

/** Waits until the release reaches a final status and returns it. */
export async function waitForRelease(
  client: ApiClient,
  app: string,
  id: number,
  timeoutMs = 60_000,
): Promise<ReleaseRecord> {
  return waitFor(
    `release ${id} of ${app} to finish`,
    async () => {
      const release = await client.release(app, id);
      return release.status === 'InProgress' ? undefined : release;
    },
    timeoutMs,
    100,
  );
}

/** Waits until a release of `revision` reaches a final status. */
export async function waitForRevision(
  client: ApiClient,
  app: string,
  revision: string,
  timeoutMs = 60_000,
): Promise<ReleaseRecord> {
  return waitFor(
    `a finished release of ${revision.slice(0, 7)}`,
    async () => {
      const releases = await client.releases(app);
      return releases.find((r) => r.revision === revision && r.status !== 'InProgress');
    },
    timeoutMs,
    100,
  );
}

const BIN = fileURLToPath(new URL('../../../bin/wandol.js', import.meta.url));

/** Runs `wandol up` as its own process (for tests that kill the agent). */
export function spawnAgentProcess(dataDir: string, apiPort: number, httpPort: number): ChildProcess {
  return spawn(
    process.execPath,
    [BIN, 'up', '--data', dataDir, '--api-port', String(apiPort), '--http-port', String(httpPort)],
    {
      stdio: 'ignore',
    },
  );
}

/** The path of the `wandol` bin, for tests that run the CLI. */
export const WANDOL_BIN = BIN;

/** A sample app registered with a test agent, serving v1. */
export interface SampleApp {
  url: string;
  repo: GitFixture;
  /** The app's wandol.yaml with `extra` top-level keys (default: those it was created with). */
  yaml: (extra?: string) => string;
  v1: string;
}

/**
 * Creates a git fixture `<root>/<name>` with the sample app at v1 (wandol.yaml with `extra` keys,
 * and `files` beside it),
 * registers it (poll 300 ms) and resolves once v1 serves on its route and the app is Healthy.
 */
export async function sampleApp(
  t: TestAgent,
  root: string,
  name: string,
  extra = '',
  files: Record<string, string> = {},
): Promise<SampleApp> {
  const port = await freePort();
  const repo = gitFixture(root, name);
  const yaml = (more = extra): string => sampleWandolYaml(port, more);
  const v1 = repo.commit({ ...sampleAppFiles({ version: 'v1' }, yaml()), ...files }, 'v1');
  await t.client.addApp({ name, repo: repo.remote, pollMs: 300 });
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(
    `${name} v1 serving and Healthy`,
    async () => {
      const status = await t.client.status(name);
      return status.health === 'Healthy' && (await get(url)).body === 'v1';
    },
    60_000,
  );
  return { url, repo, yaml, v1 };
}
