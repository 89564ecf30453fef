import { postJson } from '../api';
import { feed, useLive } from '../live';
import { onLinkClick, useRoute } from '../route';
import { AppList } from './AppList';
import { AppView } from './AppView';
import { LoginNeeded } from './LoginNeeded';

const STATE_TEXT = { connecting: 'connecting', live: 'live', offline: 'offline', unauthorized: 'logged out' };

/** The page: a header with the live state and logout, then the app list or one app. */
export function App() {
  const live = useLive();
  const route = useRoute();
  if (live.state === 'unauthorized') return <LoginNeeded />;
  const logout = async (): Promise<void> => {
    await postJson('/api/v1/logout').catch(() => undefined);
    feed.unauthorized();
  };
  return (
    <>
      <header class="topbar">
        <a href="/" class="brand" onClick={onLinkClick}>
          wandol
        </a>
        <span
          class={`live-state live-${live.state}`}
          role="status"
          aria-label={`Updates: ${STATE_TEXT[live.state]}`}
        >
          <span aria-hidden="true">●</span> {STATE_TEXT[live.state]}
        </span>
        <button type="button" class="button secondary small" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      {route.page === 'app' ? <AppView key={route.name} name={route.name} /> : <AppList />}
    </>
  );
}
