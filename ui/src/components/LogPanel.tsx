import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, appPath, streamText, Unauthorized } from '../api';
import { feed } from '../live';

/** Most characters kept on screen: older output is dropped from the top. */
const MAX_CHARS = 400_000;

/**
 * An app's output (or, with `build`, the build log of its newest release), followed live with a
 * streaming fetch: the last 200 lines, then every new byte. Reconnects when the stream ends; keeps
 * the view at the bottom unless the reader scrolled up.
 */
export function LogPanel({ app, build, label }: { app: string; build: boolean; label: string }) {
  const [text, setText] = useState('');
  const [state, setState] = useState<'connecting' | 'live' | 'ended' | 'error'>('connecting');
  const [error, setError] = useState<string | undefined>(undefined);
  const box = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    const abort = new AbortController();
    const path = `${appPath(app, '/logs')}?follow=1&tail=200${build ? '&build=1' : ''}`;
    const run = async (): Promise<void> => {
      while (!abort.signal.aborted) {
        setText('');
        setState('connecting');
        try {
          for await (const chunk of streamText(path, abort.signal, { onOpen: () => setState('live') })) {
            setText((old) => {
              const next = old + chunk;
              return next.length > MAX_CHARS
                ? next.slice(next.indexOf('\n', next.length - MAX_CHARS) + 1)
                : next;
            });
          }
          if (!abort.signal.aborted) setState('ended');
        } catch (err) {
          if (abort.signal.aborted) return;
          if (err instanceof Unauthorized) return feed.unauthorized();
          setState('error');
          setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
        }
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    };
    void run();
    return () => abort.abort();
  }, [app, build]);

  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [text]);

  const onScroll = (): void => {
    const el = box.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  };

  return (
    <div class="logs">
      <p class="muted small" aria-live="polite">
        {state === 'connecting' && 'Connecting…'}
        {state === 'live' &&
          (build ? 'Build log of the newest release, live.' : 'Live output of every instance.')}
        {state === 'ended' && 'The stream ended; reconnecting…'}
        {state === 'error' && <span class="error">{error}</span>}
      </p>
      <pre ref={box} class="log-box" role="log" aria-label={label} tabIndex={0} onScroll={onScroll}>
        {text || (state === 'live' ? '(nothing yet)' : '')}
      </pre>
    </div>
  );
}
