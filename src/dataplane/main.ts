import { appendFileSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dataLayout } from '../core/data-layout.js';
import { asWandolError } from '../core/errors.js';
import { jsonLogger, type Logger } from '../core/logger.js';
import { Router } from '../router/router.js';
import { Dataplane } from './dataplane.js';

/**
 * The data-plane daemon: `node dist/src/dataplane/main.js --data DIR [--listen-host H]
 * [--http-port N]`. Hosts the router and the process supervisor, driven by the agent over the
 * unix socket; outlives the agent. SIGTERM/SIGINT stop every instance and exit 0; SIGHUP is ignored.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      'listen-host': { type: 'string', default: '127.0.0.1' },
      'http-port': { type: 'string' },
    },
  });
  if (!values.data) throw new Error('usage: main.js --data DIR [--listen-host H] [--http-port N]');
  const layout = dataLayout(values.data);
  mkdirSync(layout.logsDir, { recursive: true });
  const logger = fileLogger(layout.dataplaneLog);
  guardProcess(logger);
  const httpPort = values['http-port'] === undefined ? undefined : Number(values['http-port']);
  const listenHost = values['listen-host'] ?? '127.0.0.1';
  const router = new Router({ listenHost, sharedPort: httpPort, logger });
  const exit = (): never => process.exit(0);
  const dataplane = new Dataplane({
    dataDir: values.data,
    listenHost,
    httpPort,
    router,
    logger,
    onStopped: exit,
  });
  const onSignal = (signal: string): void => {
    logger.info('SignalReceived', { signal });
    void dataplane.stop().then(exit);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', () => logger.info('SignalIgnored', { signal: 'SIGHUP' }));
  try {
    await dataplane.start();
  } catch (err) {
    logger.error('DataplaneStartFailed', { err: asWandolError(err) });
    process.exit(1);
  }
}

/** JSON lines appended synchronously: nothing is lost when the process exits right after. */
function fileLogger(path: string): Logger {
  return jsonLogger(
    (line) => {
      try {
        appendFileSync(path, line);
      } catch {
        // Logging must never take the data plane down (full disk, removed folder).
      }
    },
    'info',
    { component: 'dataplane' },
  );
}

/** One bad request or callback must not stop the router and every app: log and carry on. */
function guardProcess(logger: Logger): void {
  process.on('uncaughtException', (err) => logger.error('UncaughtException', { err, stack: err.stack }));
  process.on('unhandledRejection', (reason) => logger.error('UnhandledRejection', { err: reason }));
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
