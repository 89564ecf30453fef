import { useEffect, useState } from 'preact/hooks';

/** The dashboard's pages: the app list at `/`, one app at `/apps/:name`. */
export type Route = { page: 'list' } | { page: 'app'; name: string };

/** The page of a location path. Pure. */
export function parseRoute(pathname: string): Route {
  const match = /^\/apps\/([^/]+)\/?$/.exec(pathname);
  if (!match?.[1]) return { page: 'list' };
  try {
    return { page: 'app', name: decodeURIComponent(match[1]) };
  } catch {
    return { page: 'list' };
  }
}

/** The path of an app's page. */
export function appHref(name: string): string {
  return `/apps/${encodeURIComponent(name)}`;
}

const CHANGE = 'wandol:navigate';

/** Goes to `path` without reloading the page. */
export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  window.dispatchEvent(new Event(CHANGE));
  window.scrollTo(0, 0);
}

/** The current page; re-renders on navigation and on the browser's back and forward. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return route;
}

/** A click handler for in-page links: plain left clicks navigate, others keep the browser's behaviour. */
export function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.currentTarget as HTMLAnchorElement;
  event.preventDefault();
  navigate(anchor.pathname);
}
