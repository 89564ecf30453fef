import type { ReleaseRecord } from './types';

/** The first 7 characters of a commit sha. */
export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : '—';
}

/** "12 s ago", "3 min ago", "2 h ago", "4 d ago" from an ISO time. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** "850 ms", "4.2 s", "3 min 5 s". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "512 B", "3.4 MiB", "1.2 GiB". */
export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** A figure with at most 2 decimals, trailing zeros dropped. */
export function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** "N req, F failed, p99 X ms" of a release's cut-over, or why there is none. */
export function trafficText(traffic: ReleaseRecord['traffic']): string {
  if (traffic.window === 'none') return 'no traffic window';
  const p99 = traffic.p99Ms === null ? 'p99 —' : `p99 ${traffic.p99Ms} ms`;
  const text = `${traffic.requests} req, ${traffic.failed} failed, ${p99}`;
  return traffic.window === 'open' ? `${text} (so far)` : text;
}

/** The first line of a commit message. */
export function firstLine(message: string | null): string {
  return (message ?? '').split('\n')[0] ?? '';
}
