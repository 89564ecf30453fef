import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../../core/logger.js';

/** What the supervisor records of each child, so a restarted data plane can clean up after a crash. */
export interface ChildRecord {
  id: string;
  app: string;
  pid: number;
  /** The child leads its own process group: pgid === pid. */
  pgid: number;
  startedAt: number;
  terminationGracePeriodMs: number;
}

/** Reads the state file; missing or unreadable means no children (a damaged file is logged). */
export function readStateFile(path: string, logger: Logger): ChildRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn('StateFileUnreadable', { path, err });
    return [];
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter(isChildRecord) : [];
  } catch (err) {
    logger.warn('StateFileDamaged', { path, err });
    return [];
  }
}

/** Replaces the state file atomically (write a temporary file, rename). Throws on I/O errors. */
export function writeStateFile(path: string, records: readonly ChildRecord[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(records, null, 2) + '\n', { mode: 0o600 });
  renameSync(temp, path);
}

function isChildRecord(value: unknown): value is ChildRecord {
  const r = value as Partial<ChildRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.app === 'string' &&
    Number.isInteger(r.pid) &&
    Number.isInteger(r.pgid) &&
    (r.pgid ?? 0) > 1 &&
    typeof r.startedAt === 'number' &&
    typeof r.terminationGracePeriodMs === 'number'
  );
}
