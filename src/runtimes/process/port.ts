import { createServer } from 'node:net';

/** Asks the kernel for a TCP port free on 127.0.0.1 right now (listen on 0, read it, close). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A free loopback port that is not in `taken` (ports handed to instances that may not have bound
 * them yet: the kernel could hand the same port out again until they do). Throws after 20 tries.
 */
export async function allocatePort(taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freeLoopbackPort();
    if (port > 0 && !taken.has(port)) return port;
  }
  throw new Error('no free loopback port found after 20 tries');
}
