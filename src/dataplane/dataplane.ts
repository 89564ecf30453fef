import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dataLayout } from '../core/data-layout.js';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RouterControl } from '../router/route.js';
import { Supervisor } from '../runtimes/process/supervisor.js';
import { ControlServer, socketAnswers } from './control-server.js';

/** Longest wait for the router to drain and close at shutdown before the instances are stopped anyway. */
const ROUTER_CLOSE_TIMEOUT_MS = 30_000;

/** The router as the data plane runs it: its control port plus start and close. */
export interface HostedRouter extends RouterControl {
  /** The shared listener's bound port once started, if it has one. */
  readonly sharedPort?: number;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Settings of a Dataplane. */
export interface DataplaneOptions {
  dataDir: string;
  listenHost: string;
  httpPort?: number;
  router: HostedRouter;
  logger: Logger;
  /** Called once a shutdown asked over the socket is complete (the daemon exits there). */
  onStopped?: () => void;
}

/**
 * The data-plane process's contents: the router, the process supervisor and the control socket,
 * plus the pid file. Runs in the daemon (main.ts) or in-process in tests.
 */
export class Dataplane {
  supervisor?: Supervisor;
  private server?: ControlServer;
  private stopping?: Promise<void>;
  private pidWritten = false;
  private readonly layout;

  constructor(private readonly opts: DataplaneOptions) {
    this.layout = dataLayout(opts.dataDir);
  }

  /**
   * Starts the supervisor (stopping a crashed predecessor's orphans), the control socket and the
   * router, then writes the pid file. Throws CONFLICT if a data plane already answers on the
   * socket (checked before anything is touched), or the router's error (PORT_IN_USE).
   */
  async start(): Promise<void> {
    const { layout, opts } = this;
    if (await socketAnswers(layout.dataplaneSocket)) {
      throw new WandolError(
        'CONFLICT',
        `a data plane already runs for ${opts.dataDir}: stop it with \`wandol down\``,
      );
    }
    mkdirSync(layout.runDir, { recursive: true, mode: 0o700 });
    mkdirSync(layout.logsDir, { recursive: true });
    this.supervisor = new Supervisor({
      stateFile: layout.dataplaneState,
      logger: opts.logger.child({ component: 'supervisor' }),
    });
    try {
      await opts.router.start();
      this.server = new ControlServer({
        socketPath: layout.dataplaneSocket,
        router: opts.router,
        supervisor: this.supervisor,
        logger: opts.logger.child({ component: 'control' }),
        listenHost: opts.listenHost,
        // The bound port, which differs from the one asked when that was 0.
        httpPort: opts.router.sharedPort ?? opts.httpPort,
        onShutdown: () => void this.stop().then(() => opts.onStopped?.()),
      });
      await this.server.listen();
    } catch (err) {
      await this.stop();
      throw err;
    }
    writeFileSync(layout.dataplanePid, `${process.pid}\n`);
    this.pidWritten = true;
    opts.logger.info('DataplaneStarted', { pid: process.pid, socket: layout.dataplaneSocket });
  }

  /**
   * Closes the router (in-flight requests drain), stops every instance, then removes the socket
   * and the pid file: a missing socket means everything is down. Idempotent; never throws.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const { logger, router } = this.opts;
    logger.info('DataplaneStopping');
    await bounded(router.close(), ROUTER_CLOSE_TIMEOUT_MS).catch((err) =>
      logger.error('RouterCloseFailed', { err }),
    );
    await this.supervisor?.close().catch((err) => logger.error('SupervisorCloseFailed', { err }));
    await this.server?.close().catch((err) => logger.error('ControlSocketCloseFailed', { err }));
    if (this.pidWritten) rmSync(this.layout.dataplanePid, { force: true });
    logger.info('DataplaneStopped');
  }
}

function bounded(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`router did not close within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
