import { signalGroup, waitGroupGone } from './process-group.js';
import type { SpawnedInstance } from './spawn-instance.js';

/** How long to wait for a group to vanish after SIGKILL (it cannot refuse; this bounds a stuck kernel). */
const KILL_WAIT_MS = 5_000;
/** How long to wait for the last output once the group is gone. */
const OUTPUT_WAIT_MS = 1_000;

/**
 * Ends the instance's whole process group: SIGTERM, then SIGKILL to whatever is left once
 * `graceMs` passed. Resolves once the group is gone (and its output flushed), telling whether
 * SIGKILL was needed. Throws only what process.kill throws besides ESRCH (EPERM).
 */
export async function terminateGroup(
  spawned: SpawnedInstance,
  graceMs: number,
): Promise<'exited' | 'killed'> {
  const pgid = spawned.pid;
  const deadline = Date.now() + graceMs;
  signalGroup(pgid, 'SIGTERM');
  const leaderDone = await within(spawned.exited, graceMs);
  const gone = leaderDone && (await waitGroupGone(pgid, Math.max(0, deadline - Date.now())));
  if (!gone) {
    signalGroup(pgid, 'SIGKILL');
    await within(spawned.exited, KILL_WAIT_MS);
    await waitGroupGone(pgid, KILL_WAIT_MS);
  }
  await within(spawned.closed, OUTPUT_WAIT_MS);
  return gone ? 'exited' : 'killed';
}

/** Resolves true if `promise` settles within `ms`, false otherwise. */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
