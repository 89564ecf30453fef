import { useCallback, useEffect, useState } from 'preact/hooks';
import { getJson, Unauthorized } from './api';
import { feed, useLive } from './live';

/** A JSON resource as a component shows it. */
export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  reload(): void;
}

/**
 * Fetches `path` (null: nothing) and fetches it again whenever the live feed reports an event
 * (debounced), every `pollMs` (for changes that make no event, such as readiness) and on reload().
 * A 401 switches the page to the login hint. Keeps the last data while a refetch runs, also when
 * `path` changes (a moving time range): key the component to start afresh for another resource.
 */
export function useResource<T>(path: string | null, pollMs = 5000): Resource<T> {
  const { version } = useLive();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  useEffect(() => {
    if (path === null) return undefined;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      getJson<T>(path, abort.signal).then(
        (value) => {
          setData(value);
          setError(undefined);
        },
        (err: unknown) => {
          if (abort.signal.aborted) return;
          if (err instanceof Unauthorized) feed.unauthorized();
          else setError(err instanceof Error ? err : new Error(String(err)));
        },
      );
    }, 120);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [path, version, nonce]);

  useEffect(() => {
    if (path === null || pollMs <= 0) return undefined;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [path, pollMs, reload]);

  return { data, error, reload };
}
