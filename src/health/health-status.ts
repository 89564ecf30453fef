/** Argo CD's health names. */
export type HealthStatus = 'Healthy' | 'Suspended' | 'Progressing' | 'Missing' | 'Degraded' | 'Unknown';

/** Best to worst, as Argo CD orders them: an aggregate takes the worst of its parts. */
export const HEALTH_ORDER: readonly HealthStatus[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

/** A health status with the one-line reason shown in `status`. */
export interface Health {
  status: HealthStatus;
  reason: string;
}

/** The worst of `parts` (Healthy when there are none). Pure. */
export function worstHealth(parts: readonly Health[]): Health {
  let worst: Health = { status: 'Healthy', reason: '' };
  for (const part of parts) {
    if (HEALTH_ORDER.indexOf(part.status) > HEALTH_ORDER.indexOf(worst.status)) worst = part;
  }
  return worst;
}

/** Whether the app's live state matches git: the newest commit is the one serving. */
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';
