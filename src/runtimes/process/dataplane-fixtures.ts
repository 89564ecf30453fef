import { join } from 'node:path';
import { silentLogger } from '../../core/logger.js';
import { DataplaneClient } from '../../dataplane/control-client.js';
import { ControlServer } from '../../dataplane/control-server.js';
import type { RouteSpec, RouteState, RouterControl, TrafficSnapshot } from '../../router/route.js';
import { tempDir } from '../../../test/support/temp-dir.js';
import { Supervisor } from './supervisor.js';

/**
 * An in-memory RouterControl: these tests are about instances, and the router has its own tests,
 * so a stub keeps them free of listeners and ports.
 */
export class StubRouter implements RouterControl {
  readonly specs = new Map<string, RouteSpec>();
  async setRoute(spec: RouteSpec): Promise<void> {
    this.specs.set(spec.app, spec);
  }
  async removeRoute(app: string): Promise<void> {
    this.specs.delete(app);
  }
  async routes(): Promise<RouteState[]> {
    return [...this.specs.values()].map((s) => ({
      ...s,
      targets: s.targets.map((t) => ({ ...t, active: true, inFlight: 0, down: false })),
    }));
  }
  async traffic(app: string): Promise<TrafficSnapshot | undefined> {
    if (!this.specs.has(app)) return undefined;
    return { app, since: 0, requests: 0, failed: 0, inFlight: 0, latency: [], byRelease: {} };
  }
}

/** A real Supervisor behind a real control socket, in this process, and a client to it. */
export async function inProcessDataplane() {
  const tmp = tempDir('wandol-process-runtime-');
  const supervisor = new Supervisor({
    stateFile: join(tmp.path, 'run', 'instances.json'),
    logger: silentLogger,
  });
  const socketPath = join(tmp.path, 'run', 'dataplane.sock');
  let shutdowns = 0;
  const server = new ControlServer({
    socketPath,
    router: new StubRouter(),
    supervisor,
    logger: silentLogger,
    listenHost: '127.0.0.1',
    onShutdown: () => shutdowns++,
  });
  await server.listen();
  const client = new DataplaneClient(socketPath);
  const teardown = async (): Promise<void> => {
    client.close();
    await supervisor.close();
    await server.close();
    tmp.cleanup();
  };
  return { tmp, supervisor, client, server, teardown, shutdowns: () => shutdowns };
}
