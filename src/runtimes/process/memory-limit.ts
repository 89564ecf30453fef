import type { InstanceSpec } from '../runtime.js';

const MIB = 1024 * 1024;

/** The exit code reported for an instance a memory limit killed: 128 + SIGKILL, as Kubernetes does. */
export const OOM_EXIT_CODE = 137;

/** The instance's memory limit in bytes (`resources.memory`), or undefined when it has none. Pure. */
export function memoryLimitOf(spec: InstanceSpec): number | undefined {
  const limit = spec.resources.memoryBytes;
  return typeof limit === 'number' && Number.isFinite(limit) && limit > 0 ? limit : undefined;
}

/**
 * The line written to the app's log when its instance is killed for its memory, in the format of
 * the instance's own stderr lines:
 * `<time> <id> err | wandol: OOMKilled: memory use <n> MiB exceeded the limit of <m> MiB (resources.memory)`.
 * Use is rounded up and the limit down (to 0.1 MiB), so they never read the same. Pure.
 */
export function oomLogLine(id: string, usedBytes: number, limitBytes: number, at: Date): string {
  const used = Math.ceil((usedBytes / MIB) * 10) / 10;
  const limit = Math.floor((limitBytes / MIB) * 10) / 10;
  return (
    `${at.toISOString()} ${id} err | wandol: OOMKilled: memory use ${used} MiB ` +
    `exceeded the limit of ${limit} MiB (resources.memory)\n`
  );
}
