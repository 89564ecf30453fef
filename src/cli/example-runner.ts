import type { ApiClient } from '../api/client.js';
import { sleep } from '../core/clock.js';
import { asWandolError } from '../core/errors.js';
import { println, printError, type CliIo } from './cli-io.js';
import { EXAMPLE_APP, setupExample } from './example.js';
import { fields, shortRev } from './format.js';

const LIVE_DEADLINE_MS = 180_000;

/**
 * `wandol up --example`, once the agent is up: sets up the example app, prints where it will be
 * served and how to push a change, then says when it is live. Never throws: a failure is printed
 * and the agent keeps running.
 */
export async function runExample(opts: {
  dataDir: string;
  client: ApiClient;
  apiUrl: string;
  io: CliIo;
  signal: AbortSignal;
}): Promise<void> {
  const { io, client } = opts;
  try {
    const example = await setupExample(opts.dataDir, client);
    for (const note of example.notes) println(io.out, note);
    println(io.out, '');
    println(io.out, `example app \`${EXAMPLE_APP}\``);
    const lines = fields([
      ['  app', example.appUrl],
      ['  dashboard', `${opts.apiUrl.replace(/\/+$/, '')}/`],
      ['  push a change', `npm run example:push   (then: node bin/wandol.js history ${EXAMPLE_APP})`],
      ['  its status', `node bin/wandol.js status ${EXAMPLE_APP}`],
    ]);
    println(io.out, lines);
    const deadline = Date.now() + LIVE_DEADLINE_MS;
    while (!opts.signal.aborted && Date.now() < deadline) {
      const status = await client.status(EXAMPLE_APP).catch(() => undefined);
      if (status?.health === 'Healthy' && status.revision) {
        println(
          io.out,
          `${EXAMPLE_APP} is live at ${example.appUrl} (revision ${shortRev(status.revision)})`,
        );
        return;
      }
      await sleep(1000, opts.signal).catch(() => undefined);
    }
  } catch (err) {
    const error = asWandolError(err);
    printError(io, `setting up the example failed: ${error.message}`, error.details);
  }
}
