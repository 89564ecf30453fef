import type { AppRoute } from './app-route.js';
import type { Target } from './target.js';

/** Pause before the one retry of the same target when it is the app's only one. */
export const SAME_TARGET_RETRY_MS = 100;

/** Methods that may be sent again when their connection failed before any response byte (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Error codes that mean the connection to the target failed, not the request itself. */
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** True when a request with this method and body status may be retried on another target. Pure. */
export function isRetryable(method: string, hasBody: boolean): boolean {
  return !hasBody && IDEMPOTENT.has(method);
}

/** True when `err` says the connection to the target failed (refused, reset, closed early). Pure. */
export function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_FAILURES.has(code);
}

/** What an upstream error means for a request: cut mid-response, a failed connection (may be retried), or else. */
export type UpstreamFailure = 'mid-response' | 'connection' | 'request';

/** The constant log message of each kind of upstream failure. */
export const FAILURE_LOG: Readonly<Record<UpstreamFailure, string>> = {
  'mid-response': 'Upstream failed mid-response',
  connection: 'Upstream connection failed',
  request: 'Upstream request failed',
};

/** Classifies an upstream error, given whether the response head was already sent to the client. Pure. */
export function classifyFailure(responseStarted: boolean, err: unknown): UpstreamFailure {
  if (responseStarted) return 'mid-response';
  return isConnectionFailure(err) ? 'connection' : 'request';
}

/** The error code (or name) of `err` for logs. Pure. */
export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown } | null;
  return String(e?.code ?? e?.name ?? 'unknown');
}

/**
 * The retry budget of one request: every other active target once, then (when the app has a single
 * target) that target once more after SAME_TARGET_RETRY_MS. Allocated on the first failure only.
 */
export class RetryBudget {
  private readonly tried = new Set<Target>();
  private pausedOnce = false;

  /**
   * The next step after `failed` failed: a target to try now, 'pause' to retry the only target after
   * SAME_TARGET_RETRY_MS, or undefined to give up.
   */
  next(route: AppRoute, failed: Target): Target | 'pause' | undefined {
    this.tried.add(failed);
    const next = route.pick(this.tried);
    if (next !== undefined) return next;
    if (this.pausedOnce || route.active.length !== 1) return undefined;
    this.pausedOnce = true;
    return 'pause';
  }
}
