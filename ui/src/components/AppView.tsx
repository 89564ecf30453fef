import { useState } from 'preact/hooks';
import { ApiError, appPath, postJson, Unauthorized } from '../api';
import { shortSha } from '../format';
import { feed } from '../live';
import { useResource } from '../resource';
import { onLinkClick } from '../route';
import type { AppStatus, ReleaseRecord } from '../types';
import { HealthBadge, SyncBadge } from './Badges';
import { EventFeed } from './EventFeed';
import { LogPanel } from './LogPanel';
import { MetricsPanel } from './MetricsPanel';
import { ResourceTree } from './ResourceTree';
import { Tabs, type TabSpec } from './Tabs';

const TABS: TabSpec[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'logs', label: 'Logs' },
  { id: 'build', label: 'Build log' },
  { id: 'events', label: 'Events' },
];

/** One app: summary, then tabs with the tree and charts, live logs, the build log and its events. */
export function AppView({ name }: { name: string }) {
  const status = useResource<AppStatus>(appPath(name));
  const releases = useResource<ReleaseRecord[]>(appPath(name, '/releases'));
  const [tab, setTab] = useState('overview');
  const reload = (): void => {
    status.reload();
    releases.reload();
  };
  const app = status.data;
  const newest = releases.data?.[0];
  return (
    <main class="page" aria-labelledby="app-title">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/" onClick={onLinkClick}>
          ← All apps
        </a>
      </nav>
      <div class="app-head">
        <h1 id="app-title">{name}</h1>
        {app && (
          <div class="badges">
            <HealthBadge health={app.health} reason={app.healthReason} />
            <SyncBadge sync={app.sync} reason={app.syncReason} />
          </div>
        )}
        {app && <DeployButton app={name} onDone={reload} />}
      </div>
      {status.error && (
        <p role="alert" class="error">
          {status.error.message}
        </p>
      )}
      {app && <Summary app={app} />}
      <Tabs tabs={TABS} selected={tab} onSelect={setTab} label={`Views of ${name}`}>
        {tab === 'overview' && (
          <div class="overview">
            <section aria-labelledby="tree-title" class="panel">
              <h2 id="tree-title">Releases and instances</h2>
              {app && releases.data ? (
                <ResourceTree status={app} releases={releases.data} onChange={reload} />
              ) : (
                <p class="muted">Loading…</p>
              )}
            </section>
            <section aria-labelledby="charts-title" class="panel">
              <h2 id="charts-title">Over time</h2>
              <MetricsPanel app={name} />
            </section>
          </div>
        )}
        {tab === 'logs' && <LogPanel app={name} build={false} label={`Output of ${name}`} />}
        {tab === 'build' && (
          <LogPanel key={newest?.id ?? 0} app={name} build={true} label={`Build log of ${name}`} />
        )}
        {tab === 'events' && <EventFeed app={name} limit={200} />}
      </Tabs>
    </main>
  );
}

function Summary({ app }: { app: AppStatus }) {
  return (
    <>
      <dl class="facts summary">
        <dt>Live revision</dt>
        <dd>
          <code title={app.revision ?? undefined}>{shortSha(app.revision)}</code>
          {app.headRevision && app.headRevision !== app.revision && (
            <span class="muted"> (branch head {shortSha(app.headRevision)})</span>
          )}
        </dd>
        <dt>Replicas</dt>
        <dd>
          {app.replicas.ready}/{app.replicas.desired} ready
        </dd>
        <dt>URL</dt>
        <dd class="wrap">{app.url ? <a href={app.url}>{app.url}</a> : '—'}</dd>
        <dt>Source</dt>
        <dd class="wrap">
          {app.repo} <span class="muted">({app.branch})</span>
        </dd>
      </dl>
      {app.lastError && (
        <div role="alert" class="error-box">
          <strong>{app.lastError.code}</strong>: {app.lastError.message}
          {app.lastError.details.length > 0 && <pre class="details">{app.lastError.details.join('\n')}</pre>}
        </div>
      )}
    </>
  );
}

/** Deploys the branch head now (what a poll or webhook would do). */
function DeployButton({ app, onDone }: { app: string; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const deploy = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await postJson(appPath(app, '/deploy'), {});
      onDone();
    } catch (err) {
      if (err instanceof Unauthorized) feed.unauthorized();
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    }
    setBusy(false);
  };
  return (
    <div class="head-actions">
      <button type="button" class="button" disabled={busy} onClick={() => void deploy()}>
        {busy ? 'Deploying…' : 'Deploy latest'}
      </button>
      {error && (
        <span role="alert" class="error small">
          {error}
        </span>
      )}
    </div>
  );
}
