import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { WandolError } from '../core/errors.js';
import { dataLayout } from '../core/data-layout.js';

/** What a running agent publishes in `<dataDir>/agent.json` so that local commands find it. */
export interface AgentInfo {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:7070`. */
  apiUrl: string;
  /** The admin token of the API. */
  token: string;
  pid: number;
  dataDir: string;
  httpPort: number;
  startedAt: string;
}

/**
 * Writes agent.json atomically with mode 0600: a temporary file next to it is written, chmod-ed
 * (writeFile's mode applies only to a new file, and goes through the umask) and renamed over the
 * old one. Creates the data dir if needed. Idempotent.
 */
export async function writeAgentInfo(dataDir: string, info: AgentInfo): Promise<void> {
  const target = dataLayout(dataDir).agentJson;
  const temp = `${target}.${process.pid}.tmp`;
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(temp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * Reads agent.json; undefined when there is none (no agent was started here). Throws INTERNAL when
 * the file exists but is not a valid agent.json, saying where it is.
 */
export async function readAgentInfo(dataDir: string): Promise<AgentInfo | undefined> {
  const path = dataLayout(dataDir).agentJson;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WandolError('INTERNAL', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const info = JSON.parse(text) as Partial<AgentInfo>;
    if (typeof info.apiUrl === 'string' && typeof info.token === 'string') return info as AgentInfo;
  } catch {
    // reported below
  }
  throw new WandolError(
    'INTERNAL',
    `${path} is not a valid agent.json: restart the agent with \`wandol up\``,
  );
}

/** Removes agent.json (an agent stopping). Idempotent. */
export async function removeAgentInfo(dataDir: string): Promise<void> {
  await rm(dataLayout(dataDir).agentJson, { force: true });
}
