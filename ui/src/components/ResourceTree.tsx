import { useState } from 'preact/hooks';
import { ApiError, appPath, postJson, Unauthorized } from '../api';
import { ago, duration, firstLine, shortSha, trafficText } from '../format';
import { feed } from '../live';
import type { AppStatus, HealthStatus, InstanceStatus, ReleaseRecord } from '../types';
import { HealthBadge, ReleaseStatusBadge, releaseHealth, SyncBadge } from './Badges';

const SHOWN_RELEASES = 8;

/**
 * The app as a tree, like Argo CD's: the app, its releases newest first (status, trigger, commit,
 * cut-over traffic, a Rollback button on those that went live), and under each its instances.
 */
export function ResourceTree({
  status,
  releases,
  onChange,
}: {
  status: AppStatus;
  releases: ReleaseRecord[];
  onChange: () => void;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? releases : releases.slice(0, SHOWN_RELEASES);
  const known = new Set(releases.map((r) => r.id));
  const orphans = status.instances.filter((i) => !known.has(i.releaseId));
  return (
    <div class="tree" role="group" aria-label={`Resource tree of ${status.name}`}>
      <div class={`node node-app border-${status.health}`}>
        <span class="node-kind">app</span>
        <strong>{status.name}</strong>
        <HealthBadge health={status.health} reason={status.healthReason} />
        <SyncBadge sync={status.sync} reason={status.syncReason} />
      </div>
      <ul class="tree-children" aria-label="Releases, newest first">
        {shown.map((release) => (
          <li key={release.id}>
            <ReleaseNode release={release} appHealth={status.health} onChange={onChange} />
            <InstanceList instances={status.instances.filter((i) => i.releaseId === release.id)} />
          </li>
        ))}
        {orphans.length > 0 && (
          <li>
            <div class="node border-Unknown">
              <span class="node-kind">instances of older releases</span>
            </div>
            <InstanceList instances={orphans} />
          </li>
        )}
      </ul>
      {releases.length > SHOWN_RELEASES && (
        <button type="button" class="link-button" onClick={() => setAll(!all)}>
          {all ? 'Show fewer releases' : `Show all ${releases.length} releases`}
        </button>
      )}
    </div>
  );
}

/** A release went live once (and so can be rolled back to) when it succeeded, even if replaced since. */
function canRollBackTo(release: ReleaseRecord): boolean {
  return (
    !release.live &&
    release.artifact !== null &&
    (release.status === 'Succeeded' || release.status === 'RolledBack')
  );
}

function ReleaseNode({
  release,
  appHealth,
  onChange,
}: {
  release: ReleaseRecord;
  appHealth: HealthStatus;
  onChange: () => void;
}) {
  const health = releaseHealth(release, appHealth);
  const took = release.finishedAt
    ? Date.parse(release.finishedAt) - Date.parse(release.startedAt)
    : undefined;
  return (
    <article
      class={`node node-release border-${health}`}
      aria-label={`Release ${release.id}, ${shortSha(release.revision)}, ${release.status}${release.live ? ', live' : ''}`}
      data-release-id={release.id}
      data-revision={release.revision}
      data-status={release.status}
      data-live={release.live ? 'true' : 'false'}
    >
      <header class="node-head">
        <span class="node-kind">release #{release.id}</span>
        <ReleaseStatusBadge release={release} />
        {release.live && <span class="badge live">Live</span>}
        <span class="muted small">{release.trigger}</span>
      </header>
      <p class="node-line">
        <code title={release.revision}>{shortSha(release.revision)}</code>{' '}
        <span class="wrap">{firstLine(release.message) || <span class="muted">(no message)</span>}</span>
      </p>
      <p class="node-line small">
        <span class="traffic">{trafficText(release.traffic)}</span>
        <span class="muted">
          {' · '}
          <time dateTime={release.startedAt} title={new Date(release.startedAt).toLocaleString()}>
            {ago(release.startedAt)}
          </time>
          {took !== undefined && ` · took ${duration(took)}`}
        </span>
      </p>
      {release.error && (
        <p class="error small wrap" title={release.error.details.join('\n')}>
          {release.error.code}: {release.error.message}
        </p>
      )}
      {canRollBackTo(release) && <RollbackControl release={release} onChange={onChange} />}
    </article>
  );
}

/** The Rollback button, with an inline confirmation. */
function RollbackControl({ release, onChange }: { release: ReleaseRecord; onChange: () => void }) {
  const [step, setStep] = useState<'idle' | 'confirm' | 'busy'>('idle');
  const [error, setError] = useState<string | undefined>(undefined);
  const sha = shortSha(release.revision);
  const confirm = async (): Promise<void> => {
    setStep('busy');
    setError(undefined);
    try {
      await postJson(appPath(release.app, '/rollback'), { to: String(release.id) });
      onChange();
    } catch (err) {
      if (err instanceof Unauthorized) feed.unauthorized();
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    }
    setStep('idle');
  };
  if (step === 'idle') {
    return (
      <div class="node-actions">
        <button
          type="button"
          class="button"
          aria-label={`Rollback to release ${release.id} (${sha})`}
          onClick={() => setStep('confirm')}
        >
          Rollback
        </button>
        {error && (
          <span role="alert" class="error small">
            {error}
          </span>
        )}
      </div>
    );
  }
  return (
    <div class="node-actions confirm" role="group" aria-label={`Confirm rollback to release ${release.id}`}>
      <span class="small">
        Put release #{release.id} ({sha}) back live, with its artifact and config?
      </span>
      <button type="button" class="button danger" disabled={step === 'busy'} onClick={() => void confirm()}>
        {step === 'busy' ? 'Rolling back…' : 'Confirm rollback'}
      </button>
      <button
        type="button"
        class="button secondary"
        disabled={step === 'busy'}
        onClick={() => setStep('idle')}
      >
        Cancel
      </button>
    </div>
  );
}

function InstanceList({ instances }: { instances: InstanceStatus[] }) {
  if (instances.length === 0) return null;
  return (
    <ul class="tree-children" aria-label="Instances">
      {instances.map((instance) => (
        <li key={instance.id}>
          <InstanceNode instance={instance} />
        </li>
      ))}
    </ul>
  );
}

function instanceHealth(instance: InstanceStatus): HealthStatus {
  if (instance.phase === 'Exited') return 'Degraded';
  if (instance.ready) return 'Healthy';
  return 'Progressing';
}

function InstanceNode({ instance }: { instance: InstanceStatus }) {
  const exit = instance.lastExit;
  return (
    <div
      class={`node node-instance border-${instanceHealth(instance)}`}
      data-instance-id={instance.id}
      data-ready={instance.ready ? 'true' : 'false'}
    >
      <header class="node-head">
        <span class="node-kind">instance</span>
        <span class="wrap small">{instance.id}</span>
        <HealthBadge health={instanceHealth(instance)} />
      </header>
      <dl class="facts small">
        <dt>Slot</dt>
        <dd>{instance.slot}</dd>
        <dt>Endpoint</dt>
        <dd class="wrap">{instance.endpoint ?? '—'}</dd>
        <dt>Ready</dt>
        <dd>
          {instance.ready ? 'yes' : 'no'} ({instance.phase})
        </dd>
        <dt>Restarts</dt>
        <dd>{instance.restarts}</dd>
        <dt>Last exit</dt>
        <dd class="wrap">
          {exit
            ? `${exit.code !== null ? `code ${exit.code}` : `signal ${exit.signal ?? '?'}`}${exit.reason ? ` (${exit.reason})` : ''}, ${ago(exit.at)}`
            : '—'}
        </dd>
      </dl>
    </div>
  );
}
