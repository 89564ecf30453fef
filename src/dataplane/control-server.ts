import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RouterControl } from '../router/route.js';
import { DATAPLANE_PROTOCOL_VERSION, type DataplaneHealth } from './control-protocol.js';
import { route, type InstanceHost } from './control-routes.js';
import { sendError, sendJson } from './http-json.js';

/** Settings of the control server. */
export interface ControlServerOptions {
  /** The unix socket to listen on (DataLayout.dataplaneSocket). */
  socketPath: string;
  router: RouterControl;
  supervisor: InstanceHost;
  logger: Logger;
  /** Reported by health: where the router listens. */
  listenHost: string;
  httpPort?: number;
  /** Called once `POST /v1/shutdown` was answered 202: stop everything, then exit the process. */
  onShutdown: () => void;
}

/**
 * The data plane's control API: HTTP with JSON bodies on a unix socket (mode 0600), driven by the
 * agent through DataplaneClient. Errors are `{ error: { code, message, details } }` with 400, 404,
 * 409 or 500; a failing request is answered and logged, never fatal.
 */
export class ControlServer {
  private readonly server: Server;
  private readonly startedAt = Date.now();
  private closed?: Promise<void>;
  private listening = false;

  constructor(private readonly opts: ControlServerOptions) {
    this.server = createServer((req, res) => void this.handle(req, res));
    // Longer than the client agent keeps idle sockets, so a reused socket is not closed under it.
    this.server.keepAliveTimeout = 65_000;
  }

  /**
   * Listens on the socket, replacing a stale socket file. Throws CONFLICT when another data plane
   * answers on it, or the listen error.
   */
  async listen(): Promise<void> {
    const path = this.opts.socketPath;
    if (await socketAnswers(path)) {
      throw new WandolError(
        'CONFLICT',
        `a data plane already listens on ${path}: stop it with \`wandol down\``,
      );
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    rmSync(path, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(path, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.listening = true;
    chmodSync(path, 0o600);
    this.opts.logger.info('ControlSocketListening', { path });
  }

  /** Stops answering, drops open connections and removes the socket file it made. Idempotent. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    }).then(() => {
      if (this.listening) rmSync(this.opts.socketPath, { force: true });
    });
    return this.closed;
  }

  /** What `GET /v1/health` answers. */
  health(): DataplaneHealth {
    return {
      pid: process.pid,
      startedAt: this.startedAt,
      version: DATAPLANE_PROTOCOL_VERSION,
      listenHost: this.opts.listenHost,
      httpPort: this.opts.httpPort ?? null,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { router, supervisor, logger, onShutdown } = this.opts;
    try {
      const reply = await route(
        { router, supervisor, health: () => this.health(), shutdown: onShutdown },
        req,
      );
      if (reply.after) res.once('finish', reply.after);
      sendJson(res, reply.status, reply.body);
    } catch (err) {
      const code = err instanceof WandolError ? err.code : 'INTERNAL';
      const level = code === 'INTERNAL' ? 'error' : 'debug';
      logger[level]('ControlRequestFailed', { method: req.method, url: req.url, code, err });
      sendError(res, err);
    }
  }
}

/** True when something accepts connections on the unix socket `path`. Never throws. */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
