/**
 * Test helpers for the router's tests: real upstream HTTP servers on 127.0.0.1 and a small HTTP client.
 * Not used by production code.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { silentLogger } from '../core/logger.js';
import type { RouteTarget } from './route.js';
import { Router } from './router.js';

/** A running upstream: its port, how many requests it saw, and how to stop it. */
export interface Upstream {
  name: string;
  port: number;
  server: Server;
  requests: number;
  close(): Promise<void>;
}

/**
 * Starts an upstream answering its `name` on 127.0.0.1 (optionally on `port`). Paths: /slow?ms=N answers
 * after N ms, /headers echoes the request headers as JSON, /fail answers 500, /echo streams the body
 * back; `handler` may take over any request by returning true. Upgrade requests get a 101 and an echo.
 */
export async function startUpstream(
  name: string,
  handler?: (req: IncomingMessage, res: ServerResponse) => boolean,
  port = 0,
): Promise<Upstream> {
  const sockets = new Set<Socket>();
  const upstream: Upstream = {
    name,
    port: 0,
    server: http.createServer(),
    requests: 0,
    close: async () => {},
  };
  const server = upstream.server;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    upstream.requests++;
    if (handler?.(req, res)) return;
    defaultAnswer(name, req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    upstream.requests++;
    const xff = req.headers['x-forwarded-for'] ?? '';
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\nX-Upstream: ${name}\r\nX-Seen-For: ${xff}\r\n\r\n`,
    );
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  upstream.port = (server.address() as AddressInfo).port;
  upstream.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return upstream;
}

function defaultAnswer(name: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/slow') {
    const timer = setTimeout(() => res.end(`${name} slow`), Number(url.searchParams.get('ms') ?? 1000));
    res.on('close', () => clearTimeout(timer));
    return;
  }
  if (url.pathname === '/headers') {
    res.setHeader('content-type', 'application/json');
    return void res.end(JSON.stringify({ headers: req.headers, raw: req.rawHeaders }));
  }
  if (url.pathname === '/fail') {
    res.statusCode = 500;
    return void res.end('fail');
  }
  if (url.pathname === '/echo') return void req.pipe(res);
  req.resume();
  res.end(name);
}

/** A finished client request. */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Options of `send`. */
export interface SendOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  agent?: http.Agent | false;
}

/** Sends one request to 127.0.0.1:`port` and reads the whole reply. Rejects on a network error. */
export function send(port: number, path = '/', opts: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: opts.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A Router on 127.0.0.1 with a shared listener on a free port and a silent logger, already started. */
export async function startRouter(): Promise<Router> {
  const router = new Router({ listenHost: '127.0.0.1', sharedPort: 0, logger: silentLogger });
  await router.start();
  return router;
}

/** A route target for an upstream on 127.0.0.1:`port`. */
export function target(instanceId: string, releaseId: number, port: number): RouteTarget {
  return { instanceId, releaseId, endpoint: { host: '127.0.0.1', port } };
}
