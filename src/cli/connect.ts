import { ApiClient } from '../api/client.js';
import { readAgentInfo } from '../api/agent-info.js';
import { dataLayout } from '../core/data-layout.js';
import { WandolError } from '../core/errors.js';

/**
 * An API client for the agent of `dataDir`, from its agent.json. Throws AGENT_UNREACHABLE when no
 * agent.json exists there (the client itself throws it later if the agent named there is gone).
 */
export async function connectAgent(dataDir: string): Promise<ApiClient> {
  const path = dataLayout(dataDir).agentJson;
  const info = await readAgentInfo(dataDir);
  if (!info) {
    throw new WandolError(
      'AGENT_UNREACHABLE',
      `no agent runs for ${dataDir}: start it with \`wandol up\`, or point to its data dir with --data or WANDOL_DATA (looked in ${path})`,
    );
  }
  return new ApiClient({ baseUrl: info.apiUrl, token: info.token, agentInfoPath: path });
}
