import { WandolError } from '../core/errors.js';
import { assertAppName } from '../core/names.js';

/** The `:name` path parameter, checked as an app name (INVALID_NAME → 400). */
export function appParam(params: Record<string, string>): string {
  return assertAppName(params.name ?? '');
}

/** A positive whole number from a path parameter. Throws USAGE otherwise. */
export function idParam(params: Record<string, string>, key: string): number {
  const value = params[key] ?? '';
  if (!/^[1-9]\d{0,14}$/.test(value)) {
    throw new WandolError('USAGE', `${key} must be a positive whole number, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * A whole number from the query string within [min, max], or `fallback` when absent. Throws USAGE
 * for anything else.
 */
export function intQuery(
  query: URLSearchParams,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number;
export function intQuery(
  query: URLSearchParams,
  key: string,
  fallback: undefined,
  min: number,
  max: number,
): number | undefined;
export function intQuery(
  query: URLSearchParams,
  key: string,
  fallback: number | undefined,
  min: number,
  max: number,
): number | undefined {
  const raw = query.get(key);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new WandolError('USAGE', `query parameter ${key} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A boolean query flag: present as `1`, `true`, `yes` or empty is true; absent, `0`, `false` is false. */
export function flagQuery(query: URLSearchParams, key: string): boolean {
  const raw = query.get(key);
  if (raw === null) return false;
  return ['', '1', 'true', 'yes'].includes(raw.toLowerCase());
}
