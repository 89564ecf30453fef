import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { asWandolError, WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { replySocket } from './replies.js';

/** Handles one proxied request; must not throw (the listener guards it anyway). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;
/** Handles one Upgrade request and owns `socket` from then on. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Client keep-alive: longer than usual load-balancer idle timeouts, so the router is not the one to race. */
const CLIENT_KEEP_ALIVE_MS = 65_000;

/**
 * One HTTP listener of the router (a dedicated app port or the shared Host-routed port). `bind` throws
 * PORT_IN_USE when the port is taken; `retire` stops accepting and lets open requests finish; `close`
 * ends everything.
 */
export class Listener {
  readonly server: Server;
  port = 0;
  /** Once retired, responses on still-open connections carry `Connection: close`. */
  private retired = false;

  constructor(
    onRequest: RequestHandler,
    onUpgrade: UpgradeHandler,
    private readonly log: Logger,
  ) {
    // No request timeout: uploads may take minutes. Slow headers are still cut by headersTimeout.
    this.server = createServer({ requestTimeout: 0, keepAliveTimeout: CLIENT_KEEP_ALIVE_MS }, (req, res) => {
      if (this.retired) res.shouldKeepAlive = false;
      try {
        onRequest(req, res);
      } catch (err) {
        this.log.error('Request handler failed', { err });
        res.destroy();
      }
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      try {
        if (this.retired) replySocket(socket, 503);
        else onUpgrade(req, socket, head);
      } catch (err) {
        this.log.error('Upgrade handler failed', { err });
        socket.destroy();
      }
    });
  }

  /** Binds `host:port` (port 0 picks a free one); resolves with the bound port. Throws PORT_IN_USE. */
  bind(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        this.server.off('listening', onListening);
        if (err.code !== 'EADDRINUSE' && err.code !== 'EACCES') return reject(asWandolError(err));
        reject(
          new WandolError(
            'PORT_IN_USE',
            `port ${port} on ${host} is in use: free it or choose another route port`,
            { cause: err },
          ),
        );
      };
      const onListening = (): void => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.log.error('Listener failed', { port: this.port, err }));
        const address = this.server.address();
        this.port = typeof address === 'object' && address !== null ? address.port : port;
        resolve(this.port);
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen({ host, port });
    });
  }

  /** Stops accepting connections (the port is free on return) and closes idle ones; open requests finish. */
  retire(): void {
    this.retired = true;
    if (this.server.listening) this.server.close();
    this.server.closeIdleConnections();
  }

  /** Stops accepting and closes every connection now; resolves when all are gone. Never rejects. */
  close(): Promise<void> {
    this.retired = true;
    return new Promise((resolve) => {
      if (this.server.listening) this.server.close(() => resolve());
      else resolve();
      this.server.closeAllConnections();
    });
  }
}
