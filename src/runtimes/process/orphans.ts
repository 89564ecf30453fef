import type { Logger } from '../../core/logger.js';
import { instanceMarker } from './child-env.js';
import { environHas, groupMembers, signalGroup, waitGroupGone } from './process-group.js';
import type { ChildRecord } from './state-file.js';

/** Longest wait for orphans to end after SIGTERM, whatever grace period they were started with. */
const MAX_ORPHAN_GRACE_MS = 10_000;

/**
 * True when the process group recorded in `record` still runs one of ours: a member whose
 * /proc/<pid>/environ holds `WANDOL_INSTANCE=<id>`. A recycled pid or group of someone else's is
 * never ours. Linux only: without /proc nothing can be verified and this answers false.
 */
export function isOurGroup(record: ChildRecord): boolean {
  const marker = instanceMarker(record.id);
  return groupMembers(record.pgid).some((pid) => environHas(pid, marker));
}

/**
 * Stops the process groups a previous (crashed) data plane left running: SIGTERM, then SIGKILL
 * after their grace period (at most 10 s). Only verified groups (isOurGroup) are touched. Orphans
 * are not adopted: the agent starts fresh instances. Resolves with the number of groups stopped;
 * never throws.
 */
export async function killOrphans(records: readonly ChildRecord[], logger: Logger): Promise<number> {
  const ours = records.filter((record) => {
    const verified = isOurGroup(record);
    if (!verified) logger.info('OrphanSkipped', { id: record.id, pgid: record.pgid });
    return verified;
  });
  await Promise.all(ours.map((record) => stopOrphan(record, logger)));
  return ours.length;
}

async function stopOrphan(record: ChildRecord, logger: Logger): Promise<void> {
  logger.warn('OrphanStopping', { id: record.id, app: record.app, pgid: record.pgid });
  try {
    signalGroup(record.pgid, 'SIGTERM');
    const grace = Math.min(record.terminationGracePeriodMs, MAX_ORPHAN_GRACE_MS);
    if (await waitGroupGone(record.pgid, grace)) return;
    signalGroup(record.pgid, 'SIGKILL');
    if (!(await waitGroupGone(record.pgid, 5_000))) logger.error('OrphanStillAlive', { pgid: record.pgid });
  } catch (err) {
    logger.error('OrphanStopFailed', { id: record.id, pgid: record.pgid, err });
  }
}
