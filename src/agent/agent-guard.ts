import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAgentInfo, type AgentInfo } from '../api/agent-info.js';
import { WandolError } from '../core/errors.js';

/**
 * Refuses to start a second agent on one data dir: throws CONFLICT when agent.json names a live
 * process that answers on its API. Returns the previous agent.json (to keep its token), if any.
 */
export async function assertNoOtherAgent(dataDir: string): Promise<AgentInfo | undefined> {
  const info = await readAgentInfo(dataDir).catch(() => undefined);
  if (!info || info.pid === process.pid || !alive(info.pid)) return info;
  const answers = await fetch(`${info.apiUrl}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );
  if (answers) {
    throw new WandolError(
      'CONFLICT',
      `an agent already runs for ${dataDir} (pid ${info.pid}, ${info.apiUrl}): stop it with \`wandol down\` or use another --data`,
    );
  }
  return info;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Listens on 127.0.0.1:`port` (0: any free port). Throws PORT_IN_USE when it is taken. */
export function listenApi(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(
        err.code === 'EADDRINUSE'
          ? new WandolError('PORT_IN_USE', `API port ${port} is in use: pick another with --api-port`, {
              cause: err,
            })
          : err,
      );
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}
