import type { HealthStatus, ReleaseRecord, SyncStatus } from '../types';

const HEALTH_ICON: Record<HealthStatus, string> = {
  Healthy: '♥',
  Progressing: '◔',
  Degraded: '✕',
  Suspended: '⏸',
  Missing: '?',
  Unknown: '?',
};

/** An app's or a node's health, in Argo CD's colours (class `health-<Status>`). */
export function HealthBadge({ health, reason }: { health: HealthStatus; reason?: string | undefined }) {
  return (
    <span class={`badge health-${health}`} title={reason || undefined} data-health={health}>
      <span aria-hidden="true" class="badge-icon">
        {HEALTH_ICON[health]}
      </span>
      {health}
    </span>
  );
}

/** Synced or OutOfSync with git, in Argo CD's colours. */
export function SyncBadge({ sync, reason }: { sync: SyncStatus; reason?: string | undefined }) {
  return (
    <span class={`badge sync-${sync}`} title={reason || undefined} data-sync={sync}>
      <span aria-hidden="true" class="badge-icon">
        {sync === 'Synced' ? '✓' : sync === 'OutOfSync' ? '↑' : '?'}
      </span>
      {sync}
    </span>
  );
}

/** A release's status word, coloured like the health it stands for. */
export function ReleaseStatusBadge({ release }: { release: ReleaseRecord }) {
  const label = release.status === 'InProgress' ? `${release.status}: ${release.phase}` : release.status;
  return <span class={`badge health-${releaseHealth(release)}`}>{label}</span>;
}

/** The colour of a release node: its status read as a health. */
export function releaseHealth(release: ReleaseRecord, appHealth?: HealthStatus): HealthStatus {
  if (release.live) return appHealth ?? 'Healthy';
  switch (release.status) {
    case 'InProgress':
      return 'Progressing';
    case 'Failed':
    case 'RolledBack':
      return 'Degraded';
    default:
      return 'Suspended';
  }
}
