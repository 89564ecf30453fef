import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ApiClient } from '../../api/client.js';
import { dataLayout } from '../../core/data-layout.js';
import { asWandolError } from '../../core/errors.js';
import { agentLogger } from '../agent-logger.js';
import { intFlag, parseCommandArgs, stringFlag, type ArgSpec } from '../args.js';
import { println, printError, type CliIo } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { runExample } from '../example-runner.js';
import { EXIT_OK } from '../exit-code.js';

const spec: ArgSpec = {
  command: 'wandol up',
  options: {
    'api-port': { type: 'string' },
    'http-port': { type: 'string' },
    'listen-host': { type: 'string' },
    'webhook-secret-file': { type: 'string' },
    'notify-file': { type: 'string' },
    example: { type: 'boolean' },
    debug: { type: 'boolean' },
  },
};

/** `wandol up`: the agent, in the foreground, until Ctrl-C or `wandol down`. */
export const up: Command = {
  name: 'up',
  summary: 'run the agent in the foreground (API, dashboard, deploys)',
  usage: `usage: wandol up [--data DIR] [--api-port 7070] [--http-port 8080] [--listen-host 127.0.0.1]
                 [--webhook-secret-file F] [--notify-file F] [--example] [--debug]

Runs the agent in the foreground: it watches the registered apps, builds and deploys new commits,
and serves the API and dashboard on 127.0.0.1:--api-port. The router (the data plane) serves the
apps on --listen-host: Host-based routes on --http-port, others on their own route.port.

Ctrl-C stops the agent only: the apps keep serving, and a new \`wandol up\` adopts them.
\`wandol down\` stops everything. JSON logs go to DIR/logs/agent.log; warnings also to stderr.
  --webhook-secret-file F   the secret of signed push webhooks (GitHub, GitLab, Gitea)
  --notify-file F           agent-wide Discord/Slack/webhook notification targets (JSON, mode 0600)
  --example    also set up the example app \`hello\` and show how to push a change to it
  --debug      log debug entries too
`,
  async run(args, ctx) {
    const { values } = parseCommandArgs(spec, args);
    const dataDir = dataDirOf(values, ctx);
    const secretFile = stringFlag(values, 'webhook-secret-file');
    const notifyFile = stringFlag(values, 'notify-file');
    const options = {
      dataDir,
      apiPort: intFlag(spec, values, 'api-port', 7070, 0, 65535),
      httpPort: intFlag(spec, values, 'http-port', 8080, 0, 65535),
      listenHost: stringFlag(values, 'listen-host') ?? '127.0.0.1',
      ...(secretFile === undefined ? {} : { webhookSecretFile: resolve(ctx.io.cwd, secretFile) }),
      ...(notifyFile === undefined ? {} : { notifyFile: resolve(ctx.io.cwd, notifyFile) }),
    };
    const layout = dataLayout(dataDir);
    await mkdir(layout.logsDir, { recursive: true });
    const logFile = createWriteStream(layout.agentLog, { flags: 'a' });
    const logger = agentLogger(logFile, ctx.io.err, values.debug ? 'debug' : 'info');
    try {
      // Loaded here so that the other commands never load the agent and its native modules.
      const { startAgent } = await import('../../agent/agent.js');
      const agent = await startAgent({ ...options, logger });
      printBanner(ctx.io, agent.apiUrl, dataDir, layout.agentLog);
      const dispose = stopOnSignals(ctx.io, () => agent.stop());
      const example = new AbortController();
      if (values.example) {
        const client = new ApiClient({ baseUrl: agent.apiUrl, token: agent.token });
        void runExample({ dataDir, client, apiUrl: agent.apiUrl, io: ctx.io, signal: example.signal });
      }
      await agent.done;
      example.abort();
      dispose();
      println(ctx.io.out, 'agent stopped');
      // Should a stray handle keep the loop alive, do not hang after a clean stop.
      setTimeout(() => process.exit(), 3000).unref();
      return EXIT_OK;
    } finally {
      await new Promise((done) => logFile.end(done));
    }
  },
};

function printBanner(io: CliIo, apiUrl: string, dataDir: string, agentLog: string): void {
  const base = apiUrl.replace(/\/+$/, '');
  println(io.out, 'wandol agent is up');
  println(io.out, `  API and dashboard   ${base}/`);
  println(io.out, `  data dir            ${dataDir}`);
  println(io.out, `  agent log           ${agentLog}`);
  println(io.out, 'Ctrl-C stops the agent; the apps keep serving. `wandol down` stops everything.');
}

/** Ctrl-C/SIGTERM call `stop` once; a second one exits at once. Returns the function that unhooks. */
function stopOnSignals(io: CliIo, stop: () => Promise<void>): () => void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++received > 1) {
      println(io.err, `${signal} again: exiting now`);
      process.exit(130);
    }
    println(
      io.out,
      `\n${signal}: stopping the agent; the apps keep serving (\`wandol down\` stops everything)`,
    );
    stop().catch((err: unknown) =>
      printError(io, `stopping the agent failed: ${asWandolError(err).message}`),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
