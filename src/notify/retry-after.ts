/**
 * The wait a Retry-After header asks for, in ms: delta-seconds (decimals allowed, as Discord sends)
 * or an HTTP date (relative to `now`, never negative). undefined when absent or unreadable. Pure.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (!/^[A-Za-z]{3}, /.test(value)) return undefined; // an HTTP date: `Wed, 21 Oct 2015 07:28:00 GMT`
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
