/** A cumulative CPU reading of one instance: CPU seconds used since it started, and when (ms). */
export interface CpuSample {
  cpuSeconds: number;
  sampledAt: number;
}

/**
 * The instance's CPU use between two cumulative samples as a % of its request:
 * ((Δcpu s / Δt s) × 1000 / cpuMillis) × 100. 250 ms of CPU over 1 s with a 500m request is 50.
 * Returns undefined when no rate can be computed: time did not advance, the counter went back (the
 * process restarted), the request is not positive or a number is not finite. Pure.
 */
export function cpuUtilization(
  previous: CpuSample,
  current: CpuSample,
  cpuMillis: number,
): number | undefined {
  const seconds = (current.sampledAt - previous.sampledAt) / 1000;
  const used = current.cpuSeconds - previous.cpuSeconds;
  if (!(seconds > 0) || !(used >= 0) || !(cpuMillis > 0)) return undefined;
  const utilization = ((used / seconds) * 1000 * 100) / cpuMillis;
  return Number.isFinite(utilization) ? utilization : undefined;
}

/** Memory use as a % of the request; undefined without a positive request or a sample. Pure. */
export function memoryUtilization(
  memoryBytes: number | undefined,
  requestBytes: number | undefined,
): number | undefined {
  if (memoryBytes === undefined || requestBytes === undefined || !(requestBytes > 0) || !(memoryBytes >= 0))
    return undefined;
  return (memoryBytes / requestBytes) * 100;
}
