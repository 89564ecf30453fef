import { redact } from '../core/redact.js';
import type { NotifyRequest } from './notify-request.js';
import { retryAfterMs } from './retry-after.js';

/** How one attempt went: sent, or failed and whether trying again may help. */
export type AttemptOutcome =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; reason: string; status?: number; retryAfterMs?: number };

/** How much of an error answer's body goes into the log line. */
const MAX_REASON_BODY = 200;

/**
 * POSTs `request` to `url` once, within `timeoutMs`. 2xx is sent; 429 and 5xx may be retried (with
 * the Retry-After they give), as may network errors and timeouts; any other answer, redirects
 * included (a signed body is never followed elsewhere), is final. Reasons are redacted. Never throws.
 */
export async function deliverOnce(
  fetchFn: typeof fetch,
  url: string,
  request: NotifyRequest,
  opts: { timeoutMs: number; signal: AbortSignal },
): Promise<AttemptOutcome> {
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]),
    });
  } catch (err) {
    if (opts.signal.aborted) return { ok: false, retry: false, reason: 'cancelled: the notifier was closed' };
    return { ok: false, retry: true, reason: networkReason(err, opts.timeoutMs) };
  }
  if (res.status >= 200 && res.status < 300) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: true, status: res.status };
  }
  const body = await res.text().catch(() => '');
  const reason = redact(`HTTP ${res.status}${body ? `: ${body.slice(0, MAX_REASON_BODY)}` : ''}`);
  if (res.status === 429 || res.status >= 500) {
    const wait = retryAfterMs(res.headers.get('retry-after'));
    return {
      ok: false,
      retry: true,
      reason,
      status: res.status,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    };
  }
  return { ok: false, retry: false, reason, status: res.status };
}

function networkReason(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause =
    err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  const message = err instanceof Error ? err.message : String(err);
  return redact(detail ? `${message} (${detail})` : message);
}
