import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { AppRoute } from './app-route.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './proxy-headers.js';
import { replyText } from './replies.js';
import { errorCode, isConnectionFailure, isRetryable, SAME_TARGET_RETRY_MS } from './retry-policy.js';
import type { Target } from './target.js';

/**
 * Proxies one client request to the app's targets: the hot path. Picks a target (503 when there is
 * none), then streams the request and response through an undici pool. Never throws.
 */
export function proxyRequest(route: AppRoute, req: IncomingMessage, res: ServerResponse): void {
  const target = route.pick();
  if (target === undefined) {
    replyText(res, 503);
    route.traffic.record(undefined, true, 0);
    return;
  }
  new ProxyExchange(route, req, res).send(target);
}

/**
 * One request in flight, as an undici dispatch handler writing straight into the ServerResponse (the
 * legacy handler shape, which undici runs without a wrapper). It owns the retry decision and the counters
 * of its request, and ends exactly once: response complete, failure answered, or client gone.
 */
class ProxyExchange implements Dispatcher.DispatchHandler {
  host = '';
  hasBody = false;
  private readonly opts: Dispatcher.DispatchOptions;
  private readonly started = performance.now();
  private target: Target | undefined;
  private abortUpstream: ((err?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;
  /** Status sent to the client; 0 until the response head was written. */
  private status = 0;
  private done = false;
  private tried: Set<Target> | undefined;
  private pausedRetry = false;
  private pauseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly route: AppRoute,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    const headers = upstreamRequestHeaders(req.rawHeaders, req.socket.remoteAddress ?? '', this);
    this.opts = {
      path: req.url ?? '/',
      method: req.method ?? 'GET',
      headers,
      body: this.hasBody ? req : null,
    };
    route.traffic.inFlight++;
    res.on('close', () => this.onClientClose());
  }

  /** Sends the request to `target` (again, on a retry). */
  send(target: Target): void {
    this.target = target;
    this.abortUpstream = undefined;
    target.enter();
    target.pool.dispatch(this.opts, this);
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.done) abort();
    else this.abortUpstream = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    const target = this.target as Target;
    if (target.down) target.down = false;
    this.resumeUpstream = resume;
    this.res.writeHead(statusCode, statusText || undefined, clientResponseHeaders(rawHeaders));
    this.status = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.res.write(chunk)) return true;
    // Backpressure: undici pauses the upstream socket until the client has taken what was written.
    this.res.once('drain', () => this.resumeUpstream?.());
    return false;
  }

  onComplete(): void {
    (this.target as Target).leave();
    this.res.end();
    this.finish(this.status >= 500);
  }

  onError(err: Error): void {
    const target = this.target as Target;
    target.leave();
    if (this.done) return;
    // A client that went away mid-upload fails the body stream: not the target's fault.
    if (this.req.socket.destroyed) return this.finish(false);
    const midResponse = this.status !== 0;
    const connectionFailed = !midResponse && isConnectionFailure(err);
    const msg = midResponse
      ? 'Upstream failed mid-response'
      : connectionFailed
        ? 'Upstream connection failed'
        : 'Upstream request failed';
    this.route.log.debug(msg, { instanceId: target.instanceId, code: errorCode(err) });
    if (midResponse) {
      this.res.destroy();
      return this.finish(true);
    }
    if (connectionFailed) {
      target.markDown();
      if (this.retry(target)) return;
    }
    this.fail(502);
  }

  /** Sends the request elsewhere when allowed (see the retry policy); false when it may not be retried. */
  private retry(failed: Target): boolean {
    if (!isRetryable(this.opts.method, this.hasBody)) return false;
    const tried = (this.tried ??= new Set());
    tried.add(failed);
    const next = this.route.pick(tried);
    if (next !== undefined) {
      this.send(next);
      return true;
    }
    // The app's only target gets one more chance after a short pause (it may be restarting its listener).
    if (this.pausedRetry || this.route.active.length !== 1) return false;
    this.pausedRetry = true;
    this.pauseTimer = setTimeout(() => this.retryAfterPause(), SAME_TARGET_RETRY_MS);
    return true;
  }

  private retryAfterPause(): void {
    this.pauseTimer = undefined;
    if (this.done) return;
    const target = this.route.pick();
    if (target === undefined) this.fail(503);
    else this.send(target);
  }

  private fail(status: number): void {
    replyText(this.res, status);
    this.status = status;
    this.finish(true);
  }

  private onClientClose(): void {
    if (this.done) return;
    // The client went away before the response ended: abort the upstream request (it then reports onError).
    if (this.pauseTimer !== undefined) clearTimeout(this.pauseTimer);
    this.finish(false);
    this.abortUpstream?.();
  }

  private finish(failed: boolean): void {
    if (this.done) return;
    this.done = true;
    const traffic = this.route.traffic;
    traffic.inFlight--;
    traffic.record(this.target?.release, failed, performance.now() - this.started);
  }
}
