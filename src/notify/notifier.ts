import { randomUUID } from 'node:crypto';
import type { EventRecord } from '../api/wire.js';
import { backoffDelay, type BackoffPolicy } from '../core/backoff.js';
import type { Logger } from '../core/logger.js';
import { deliverOnce, type AttemptOutcome } from './deliver-once.js';
import { notifyContent } from './notify-content.js';
import { notifyRequest, type NotifyRequest } from './notify-request.js';
import { displayUrl, notifyKindOf, type NotifyKind, type NotifyTarget } from './notify-target.js';

/** Settings of a Notifier; every one but the logger has a default. */
export interface NotifierOptions {
  logger: Logger;
  fetch?: typeof fetch;
  /** Delays between attempts (default 1 s doubling to 30 s, ±20 %). */
  retry?: BackoffPolicy;
  /** Attempts per delivery, the first included (default 5). */
  maxAttempts?: number;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** Deliveries waiting (or waiting to retry) past this drop the oldest (default 1000). */
  maxPending?: number;
  /** The longest Retry-After honoured (default 60 s). */
  maxRetryAfterMs?: number;
  /** Attempts in flight at once, over all targets (default 4). */
  concurrency?: number;
}

interface Delivery {
  seq: number;
  id: string;
  target: NotifyTarget;
  /** Deliveries to one URL go out in order: a later one waits for the earlier ones. */
  key: string;
  kind: NotifyKind;
  app: string | null;
  request: NotifyRequest;
  attempts: number;
  dueAt: number;
}

const DEFAULT_RETRY: BackoffPolicy = { initialMs: 1000, factor: 2, maxMs: 30_000, jitter: 0.2 };

/**
 * Sends deploy and health notifications to Discord, Slack and generic webhooks, in the background:
 * `notify` returns at once and never throws. Each delivery is retried with backoff on network
 * errors, timeouts, 429 (honouring Retry-After up to a cap) and 5xx; other answers are final.
 * Deliveries to one URL keep their order; at most `maxPending` wait, the oldest dropped first.
 * Logs name the target type and its URL cut to scheme and host (its path may be a token).
 */
export class Notifier {
  private readonly logger: Logger;
  private readonly fetchFn: typeof fetch;
  private readonly retry: BackoffPolicy;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly maxPending: number;
  private readonly maxRetryAfterMs: number;
  private readonly concurrency: number;
  /** Waiting deliveries (due now or later), oldest first. */
  private readonly queue: Delivery[] = [];
  private readonly inFlight = new Map<Delivery, Promise<void>>();
  private readonly abort = new AbortController();
  private idleWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private closed = false;

  constructor(opts: NotifierOptions) {
    this.logger = opts.logger;
    this.fetchFn = opts.fetch ?? fetch;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxPending = Math.max(1, opts.maxPending ?? 1000);
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
  }

  /**
   * Queues one delivery of `event` per target whose `on` has the event's kind; events that are not
   * notified (see NOTIFY_EVENT_KINDS) are ignored. Returns at once; never throws, never blocks.
   */
  notify(event: EventRecord, targets: readonly NotifyTarget[]): void {
    try {
      const kind = notifyKindOf(event.type);
      if (kind === undefined || this.closed) return;
      const content = notifyContent(event, kind);
      for (const target of targets) {
        if (!target.on.includes(kind) || !this.usable(target)) continue;
        const id = randomUUID();
        const request = notifyRequest(content, target, id);
        this.enqueue({
          seq: this.seq++,
          id,
          target,
          key: target.url,
          kind,
          app: event.app,
          request,
          attempts: 0,
          dueAt: 0,
        });
      }
      this.pump();
    } catch (err) {
      this.logger.error('NotifyFailed', { type: event.type, app: event.app, err });
    }
  }

  /** Resolves once nothing is queued, waiting to retry or in flight (at once if so already). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops: later notify() calls are ignored, waiting deliveries are dropped (and counted in a
   * warning), attempts in flight are aborted. Resolves once they have ended. Idempotent.
   */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      clearTimeout(this.timer);
      const dropped = this.queue.splice(0).length;
      if (dropped > 0) this.logger.warn('NotificationsDiscarded', { count: dropped, reason: 'closing' });
      this.abort.abort();
    }
    await Promise.all(this.inFlight.values());
    this.settleIdle();
  }

  private usable(target: NotifyTarget): boolean {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(target.url).protocol);
    } catch {
      ok = false;
    }
    if (!ok) this.logger.warn('NotificationSkipped', { type: target.type, reason: 'not an http(s) URL' });
    return ok;
  }

  private enqueue(delivery: Delivery): void {
    this.queue.push(delivery);
    while (this.queue.length > this.maxPending) {
      const dropped = this.queue.shift()!;
      this.logger.warn('NotificationDropped', {
        ...this.fields(dropped),
        reason: `more than ${this.maxPending} notifications waiting: the oldest is dropped`,
      });
    }
  }

  /** Starts every due delivery it may (concurrency, order per URL) and arms the timer for the next. */
  private pump(): void {
    if (this.closed) return;
    const busy = new Set([...this.inFlight.keys()].map((d) => d.key));
    const now = Date.now();
    let nextDue = Infinity;
    for (const delivery of [...this.queue]) {
      if (this.inFlight.size >= this.concurrency) break;
      if (busy.has(delivery.key)) continue;
      busy.add(delivery.key);
      if (delivery.dueAt > now) nextDue = Math.min(nextDue, delivery.dueAt);
      else this.start(delivery);
    }
    this.arm(nextDue);
    this.settleIdle();
  }

  private start(delivery: Delivery): void {
    this.queue.splice(this.queue.indexOf(delivery), 1);
    delivery.attempts++;
    const attempt = deliverOnce(this.fetchFn, delivery.target.url, delivery.request, {
      timeoutMs: this.timeoutMs,
      signal: this.abort.signal,
    })
      .then((outcome) => this.settle(delivery, outcome))
      .catch((err: unknown) => this.logger.error('NotifyFailed', { ...this.fields(delivery), err }))
      .finally(() => {
        this.inFlight.delete(delivery);
        this.pump();
      });
    this.inFlight.set(delivery, attempt);
  }

  private settle(delivery: Delivery, outcome: AttemptOutcome): void {
    const fields = { ...this.fields(delivery), attempt: delivery.attempts };
    if (outcome.ok) return this.logger.info('NotificationSent', { ...fields, status: outcome.status });
    const { reason, status } = outcome;
    if (!outcome.retry || delivery.attempts >= this.maxAttempts || this.closed) {
      return this.logger.error('NotificationFailed', { ...fields, status, reason });
    }
    const delayMs =
      outcome.retryAfterMs !== undefined
        ? Math.min(outcome.retryAfterMs, this.maxRetryAfterMs)
        : backoffDelay(this.retry, delivery.attempts - 1);
    this.logger.warn('NotificationRetrying', { ...fields, status, reason, delayMs });
    delivery.dueAt = Date.now() + delayMs;
    // Back in its place by age, so that it still goes before later deliveries to its URL.
    const at = this.queue.findIndex((d) => d.seq > delivery.seq);
    this.queue.splice(at < 0 ? this.queue.length : at, 0, delivery);
  }

  private arm(dueAt: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (dueAt === Infinity) return;
    // Not unref'd: a retry that is due keeps the process up; close() stops it.
    this.timer = setTimeout(() => this.pump(), Math.max(0, dueAt - Date.now()));
  }

  private fields(d: Delivery): Record<string, unknown> {
    return { type: d.target.type, url: displayUrl(d.target.url), kind: d.kind, app: d.app, delivery: d.id };
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight.size === 0;
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
