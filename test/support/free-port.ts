import { createServer } from 'node:net';

/**
 * Test ports come from below Linux's ephemeral range (32768–60999 by default), where the kernel
 * never hands out a port on its own: a port taken here cannot be grabbed between this check and
 * its use by an outgoing connection or a `listen(0)` elsewhere (an instance's PORT, another test
 * file's load). Random within the range, so that test files running side by side rarely collide.
 */
const LOW = 20_000;
const HIGH = 32_000;

/** A TCP port that was free on 127.0.0.1 a moment ago, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH} after 50 tries`);
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
