/**
 * The router side of bench/router-bench.ts: a child process running one wandol Router with one route
 * (a dedicated port) to the upstream on 127.0.0.1:<argv[2]>. Prints `{"port":N}` once serving and
 * closes the router on SIGTERM/SIGINT.
 */
import { silentLogger } from '../src/core/logger.js';
import { Router } from '../src/router/router.js';
import { freePort } from '../test/support/free-port.js';

async function main(): Promise<void> {
  const upstreamPort = Number(process.argv[2]);
  if (!Number.isInteger(upstreamPort) || upstreamPort <= 0) {
    console.error('usage: node dist/bench/router-bench-server.js UPSTREAM_PORT');
    process.exit(2);
  }
  const router = new Router({ listenHost: '127.0.0.1', logger: silentLogger });
  await router.start();
  const port = await freePort();
  const endpoint = { host: '127.0.0.1', port: upstreamPort };
  await router.setRoute({ app: 'bench', port, targets: [{ instanceId: 'bench-1', releaseId: 1, endpoint }] });
  const stop = (): void => void router.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(JSON.stringify({ port }) + '\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
