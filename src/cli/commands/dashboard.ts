import { spawn } from 'node:child_process';
import { parseCommandArgs, type ArgSpec } from '../args.js';
import { println } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_OK } from '../exit-code.js';

const spec: ArgSpec = {
  command: 'wandol dashboard',
  options: { 'print-url': { type: 'boolean' }, 'logout-all': { type: 'boolean' } },
};

/** `wandol dashboard [--print-url]`: a one-time login link to the dashboard, opened in a browser. */
export const dashboard: Command = {
  name: 'dashboard',
  summary: 'open (or print) a one-time login link to the dashboard',
  usage: `usage: wandol dashboard [--print-url | --logout-all] [--data DIR]

Asks the agent for a login link and opens it in your browser (with $BROWSER, else xdg-open or
open). The link works once, within 60 seconds; the browser then stays logged in for 7 days.
  --print-url     only print the link (to open it elsewhere, e.g. through an SSH tunnel)
  --logout-all    log every browser out (sessions survive agent restarts)
`,
  async run(args, ctx) {
    const { values } = parseCommandArgs(spec, args);
    const client = await connectAgent(dataDirOf(values, ctx));
    if (values['logout-all'] === true) {
      const { revoked } = await client.logoutAll();
      println(ctx.io.out, `logged out ${revoked} dashboard session${revoked === 1 ? '' : 's'}`);
      return EXIT_OK;
    }
    const url = client.loginUrl(await client.createLoginCode());
    if (values['print-url'] === true) {
      println(ctx.io.out, url);
      return EXIT_OK;
    }
    openInBrowser(url, ctx.io.env);
    println(
      ctx.io.out,
      'Opening the dashboard. If no browser opens, open this link within 60 s (it works once):',
    );
    println(ctx.io.out, url);
    return EXIT_OK;
  },
};

/**
 * Starts the user's browser on `url` without waiting for it: $BROWSER if set, else `open` (macOS)
 * or `xdg-open`. Run with an argument array; a missing or failing opener is ignored (the link is
 * printed anyway).
 */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv): void {
  const command = env.BROWSER || (process.platform === 'darwin' ? 'open' : 'xdg-open');
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true, env });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // A bad $BROWSER value (e.g. an empty path) throws synchronously: the printed link remains.
  }
}
