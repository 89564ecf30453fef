import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { AppRoute } from './app-route.js';
import { clientResponseHeaders, upstreamRequestHeaders } from './proxy-headers.js';
import { replyText } from './replies.js';
import * as policy from './retry-policy.js';
import type { Target } from './target.js';

/**
 * One request in flight (the hot path), as an undici dispatch handler writing straight into the
 * ServerResponse (the legacy handler shape, which undici runs without a wrapper). Create it, then `send`
 * it to a picked target. It owns the retry decision and the counters of its request, and ends exactly
 * once: response complete, failure answered, or client gone. Never throws.
 */
export class ProxyExchange implements Dispatcher.DispatchHandler {
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
  private retries: policy.RetryBudget | undefined;
  private pauseTimer: NodeJS.Timeout | undefined;

  /** The client's connection, kept because undici may destroy `req` (and null its socket) on errors. */
  private readonly client: Socket;

  constructor(
    private readonly route: AppRoute,
    req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.client = req.socket;
    const headers = upstreamRequestHeaders(req.rawHeaders, this.client.remoteAddress ?? '', this);
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
    try {
      this.handleError(err);
    } catch (bug) {
      // Whatever happens, the client gets an answer (a broken one here) and the data plane lives on.
      this.route.log.error('Proxy error handling failed', { err: bug });
      this.res.destroy();
      this.finish(true);
    }
  }

  private handleError(err: Error): void {
    const target = this.target as Target;
    target.leave();
    if (this.done) return;
    // A client that went away mid-upload fails the body stream: not the target's fault.
    if (this.client.destroyed) return this.finish(false);
    const kind = policy.classifyFailure(this.status !== 0, err);
    this.route.log.debug(policy.FAILURE_LOG[kind], {
      instanceId: target.instanceId,
      code: policy.errorCode(err),
    });
    if (kind === 'mid-response') {
      this.res.destroy();
      return this.finish(true);
    }
    if (kind === 'connection') {
      target.markDown();
      if (this.retry(target)) return;
    }
    this.fail(502);
  }

  /** Sends the request elsewhere when allowed (see the retry policy); false when it may not be retried. */
  private retry(failed: Target): boolean {
    if (!policy.isRetryable(this.opts.method, this.hasBody)) return false;
    const step = (this.retries ??= new policy.RetryBudget()).next(this.route, failed);
    if (step === undefined) return false;
    if (step === 'pause')
      this.pauseTimer = setTimeout(() => this.retryAfterPause(), policy.SAME_TARGET_RETRY_MS);
    else this.send(step);
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
