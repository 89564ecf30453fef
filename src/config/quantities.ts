import { parseDuration } from '../core/duration.js';

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const MEMORY = /^(\d+(?:\.\d+)?)(?:e(\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const CPU_MILLIS = /^(\d+)m$/;
const CPU_CORES = /^\d+(?:\.\d+)?$/;

/**
 * A Kubernetes CPU quantity (`500m`, `0.5`, `1`, or a number of cores) in millicores. Returns
 * undefined for anything else, for zero, and for less than 1m (Kubernetes' precision). Pure.
 */
export function parseCpuMillis(value: unknown): number | undefined {
  let millis: number | undefined;
  if (typeof value === 'number') millis = Number.isFinite(value) ? value * 1000 : undefined;
  else if (typeof value === 'string') {
    const text = value.trim();
    const m = CPU_MILLIS.exec(text);
    if (m) millis = Number(m[1]);
    else if (CPU_CORES.test(text)) millis = Number(text) * 1000;
  }
  if (millis === undefined) return undefined;
  const rounded = Math.round(millis);
  return rounded >= 1 && Math.abs(rounded - millis) < 1e-6 ? rounded : undefined;
}

/**
 * A Kubernetes memory quantity (`256Mi`, `1Gi`, `512M`, `128974848`, `129e6`) in bytes, rounded up
 * as Kubernetes does. Returns undefined for anything else and for zero. Pure.
 */
export function parseMemoryBytes(value: unknown): number | undefined {
  let bytes: number | undefined;
  if (typeof value === 'number') bytes = Number.isFinite(value) ? value : undefined;
  else if (typeof value === 'string') {
    const m = MEMORY.exec(value.trim());
    if (m) bytes = Number(m[1]) * 10 ** Number(m[2] ?? 0) * (MEMORY_UNITS[m[3] ?? ''] ?? 1);
  }
  if (bytes === undefined || !Number.isSafeInteger(Math.ceil(bytes)) || bytes <= 0) return undefined;
  return Math.ceil(bytes);
}

/** A duration (`30s`, `1m30s`, `500ms`, or a number of seconds) in whole milliseconds, or undefined. Pure. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const ms = parseDuration(value);
  return ms === undefined ? undefined : Math.round(ms);
}
