import { ago } from '../format';
import { useLive } from '../live';

/** The newest events (of one app, or of all), live from the server-sent events stream. */
export function EventFeed({ app, limit = 50 }: { app?: string; limit?: number }) {
  const { events, state } = useLive();
  const shown = events.filter((e) => app === undefined || e.app === app).slice(0, limit);
  return (
    <div class="events">
      {shown.length === 0 && <p class="muted">{state === 'live' ? 'No events yet.' : 'Connecting…'}</p>}
      <ol class="event-list" aria-label={app ? `Events of ${app}` : 'Events of all apps'}>
        {shown.map((event) => (
          <li key={event.id} class={`event event-${eventTone(event.type)}`} data-event-type={event.type}>
            <time dateTime={event.at} title={new Date(event.at).toLocaleString()}>
              {ago(event.at)}
            </time>
            <span class="event-type">{event.type}</span>
            {app === undefined && event.app && <span class="event-app">{event.app}</span>}
            <span class="event-message">{event.message}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** A colour for an event type: failures red, successes green, the rest neutral. */
function eventTone(type: string): 'bad' | 'good' | 'info' {
  if (/Fail|Error|Crash|Exited|RolledBack|Degraded/i.test(type)) return 'bad';
  if (/Deployed|Healthy|Repaired|Succeeded/i.test(type)) return 'good';
  return 'info';
}
