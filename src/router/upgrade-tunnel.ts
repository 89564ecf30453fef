import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { AppRoute } from './app-route.js';
import { upstreamRequestHeaders } from './proxy-headers.js';
import { replySocket } from './replies.js';
import { errorCode, RetryBudget, SAME_TARGET_RETRY_MS } from './retry-policy.js';
import type { Target } from './target.js';

/**
 * Passes an Upgrade request (WebSocket and the like) through to a target picked like any request: writes
 * the request head with forwarded headers, then pipes bytes both ways until either side closes. The
 * tunnel counts as one request and stays in flight while open. A failed connection is retried on the
 * other targets (an Upgrade is a GET without body). `tunnels` holds the open ones (for shutdown).
 * Never throws.
 */
export function tunnelUpgrade(
  route: AppRoute,
  req: IncomingMessage,
  client: Duplex,
  head: Buffer,
  tunnels: Set<Duplex>,
): void {
  const target = route.pick();
  if (target === undefined) {
    replySocket(client, 503);
    route.traffic.record(undefined, true, 0);
    return;
  }
  new UpgradeTunnel(route, requestHead(req), client, head, tunnels).open(target);
}

/** The request head sent upstream: request line, forwarded headers, Connection/Upgrade kept. */
function requestHead(req: IncomingMessage): string {
  const facts = { host: '', hasBody: false };
  const headers = upstreamRequestHeaders(req.rawHeaders, req.socket.remoteAddress ?? '', facts);
  let head = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1\r\nconnection: upgrade\r\nupgrade: ${req.headers.upgrade ?? ''}\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return head + '\r\n';
}

/** One open (or opening) tunnel; ends exactly once, when the client socket closes. */
class UpgradeTunnel {
  private readonly started = performance.now();
  private readonly retries = new RetryBudget();
  private upstream: Socket | undefined;
  private target: Target | undefined;
  private connected = false;
  private recorded = false;
  private done = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly route: AppRoute,
    private readonly head: string,
    private readonly client: Duplex,
    private readonly clientHead: Buffer,
    private readonly tunnels: Set<Duplex>,
  ) {
    route.traffic.inFlight++;
    tunnels.add(client);
    client.pause(); // bytes sent before the upstream is connected wait in the socket's buffer
    client.once('close', () => this.finish());
  }

  /** Connects to `target`; the tunnel starts once connected. */
  open(target: Target): void {
    this.target = target;
    this.connected = false;
    target.enter();
    const upstream = connect({ host: target.endpoint.host, port: target.endpoint.port });
    this.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.once('connect', () => this.onConnect(upstream, target));
    upstream.on('error', (err) => this.onUpstreamError(upstream, target, err));
    upstream.once('close', () => this.onUpstreamClose(upstream, target));
  }

  private onConnect(upstream: Socket, target: Target): void {
    if (this.done) return void upstream.destroy();
    this.connected = true;
    upstream.write(this.head);
    if (this.clientHead.length > 0) upstream.write(this.clientHead);
    upstream.once('data', () => this.onAnswer(target));
    this.client.pipe(upstream);
    upstream.pipe(this.client);
  }

  /** The first byte of the target's answer: the tunnel counts as a served request from here on. */
  private onAnswer(target: Target): void {
    if (target.down) target.down = false;
    this.record(target, false);
  }

  private onUpstreamError(upstream: Socket, target: Target, err: Error): void {
    if (this.connected || upstream !== this.upstream || this.done) return;
    target.markDown();
    this.route.log.debug('Upstream connection failed', {
      instanceId: target.instanceId,
      code: errorCode(err),
    });
  }

  private onUpstreamClose(upstream: Socket, target: Target): void {
    target.leave();
    if (upstream !== this.upstream || this.done) return;
    if (this.connected) {
      if (!this.recorded) this.record(target, true);
      // The client gets what is still buffered for it, then its socket closes.
      (this.client as Socket).destroySoon();
      return;
    }
    if (!this.retry(target)) this.fail(502);
  }

  /** Same policy as plain requests: every other target once, the only target once more after a pause. */
  private retry(failed: Target): boolean {
    const step = this.retries.next(this.route, failed);
    if (step === undefined) return false;
    if (step !== 'pause') this.open(step);
    else this.timer = setTimeout(() => this.retryAfterPause(), SAME_TARGET_RETRY_MS);
    return true;
  }

  private retryAfterPause(): void {
    this.timer = undefined;
    if (this.done) return;
    const target = this.route.pick();
    if (target !== undefined) this.open(target);
    else this.fail(503);
  }

  private fail(status: number): void {
    this.record(this.target, true);
    replySocket(this.client, status);
  }

  private record(target: Target | undefined, failed: boolean): void {
    if (this.recorded) return;
    this.recorded = true;
    this.route.traffic.record(target?.release, failed, performance.now() - this.started);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.tunnels.delete(this.client);
    this.upstream?.destroy();
    this.route.traffic.inFlight--;
    if (!this.recorded) this.record(this.target, false);
  }
}
