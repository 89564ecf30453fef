import { useResource } from '../resource';
import { appHref, onLinkClick } from '../route';
import { shortSha } from '../format';
import type { AppStatus } from '../types';
import { HealthBadge, SyncBadge } from './Badges';
import { EventFeed } from './EventFeed';

/** Every app as a card: health, sync, revision, replicas and URL; the events of all apps below. */
export function AppList() {
  const { data: apps, error } = useResource<AppStatus[]>('/api/v1/status');
  return (
    <main class="page" aria-labelledby="apps-title">
      <h1 id="apps-title">Apps</h1>
      {error && (
        <p role="alert" class="error">
          {error.message}
        </p>
      )}
      {apps === undefined && !error && <p class="muted">Loading…</p>}
      {apps?.length === 0 && (
        <p class="muted">
          No apps yet: add one with <code>wandol app add NAME --repo PATH|URL</code>.
        </p>
      )}
      <ul class="app-grid" aria-label="Apps">
        {apps?.map((app) => (
          <AppCard key={app.name} app={app} />
        ))}
      </ul>
      <section aria-labelledby="events-title" class="panel">
        <h2 id="events-title">Events</h2>
        <EventFeed />
      </section>
    </main>
  );
}

function AppCard({ app }: { app: AppStatus }) {
  return (
    <li class={`card app-card border-${app.health}`} data-app={app.name}>
      <h2 class="app-card-title">
        <a href={appHref(app.name)} onClick={onLinkClick}>
          {app.name}
        </a>
      </h2>
      <div class="badges">
        <HealthBadge health={app.health} reason={app.healthReason} />
        <SyncBadge sync={app.sync} reason={app.syncReason} />
      </div>
      <dl class="facts">
        <dt>Revision</dt>
        <dd>
          <code title={app.revision ?? undefined}>{shortSha(app.revision)}</code>
        </dd>
        <dt>Replicas</dt>
        <dd>
          {app.replicas.ready}/{app.replicas.desired} ready
        </dd>
        <dt>URL</dt>
        <dd class="wrap">{app.url ? <a href={app.url}>{app.url}</a> : '—'}</dd>
      </dl>
      {app.lastError && (
        <p class="error small" title={app.lastError.details.join('\n')}>
          {app.lastError.code}: {app.lastError.message}
        </p>
      )}
    </li>
  );
}
