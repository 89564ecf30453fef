import { useEffect, useState } from 'preact/hooks';
// The agent's own SSE parser (pure, no Node API): the CLI's `events` stream reads with it too.
import { parseSse } from '../../src/api/sse-parse.js';
import { streamText, Unauthorized } from './api';
import type { EventRecord } from './types';

/** State of the live connection to `/api/v1/events`. */
export type LiveState = 'connecting' | 'live' | 'offline' | 'unauthorized';

/** What components read from the live feed. */
export interface LiveSnapshot {
  state: LiveState;
  /** Newest first, at most MAX_EVENTS. */
  events: EventRecord[];
  /** Grows with every event: components refetch what they show when it changes. */
  version: number;
}

const MAX_EVENTS = 200;

/**
 * One server-sent-events stream for the whole page, read with fetch (EventSource delivers named
 * events only to listeners of each name, and cannot tell a 401 from a network failure). It
 * reconnects with a growing delay; the agent replays recent events on each connection and
 * duplicates are dropped by id.
 */
class LiveFeed {
  private snapshot: LiveSnapshot = { state: 'connecting', events: [], version: 0 };
  private readonly listeners = new Set<(s: LiveSnapshot) => void>();
  private abort: AbortController | undefined;

  get current(): LiveSnapshot {
    return this.snapshot;
  }

  subscribe(listener: (s: LiveSnapshot) => void): () => void {
    this.listeners.add(listener);
    if (!this.abort) this.start();
    return () => this.listeners.delete(listener);
  }

  /** Closes the stream and shows the login hint (logout, or a 401 seen elsewhere). */
  unauthorized(): void {
    this.abort?.abort();
    this.set({ state: 'unauthorized' });
  }

  /** Starts again after a login in another tab, keeping the events seen. */
  retry(): void {
    this.abort?.abort();
    this.start();
  }

  private start(): void {
    const abort = new AbortController();
    this.abort = abort;
    void this.run(abort.signal);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let delay = 500;
    while (!signal.aborted) {
      try {
        this.set({ state: 'connecting' });
        const stream = streamText('/api/v1/events?limit=100', signal, {
          accept: 'text/event-stream',
          // What changed while disconnected may have left no event to replay: refetch on reconnect.
          onOpen: () => this.set({ state: 'live', version: this.snapshot.version + 1 }),
        });
        for await (const event of parseSse(stream)) {
          delay = 500;
          this.add(event);
        }
      } catch (err) {
        if (err instanceof Unauthorized) {
          this.set({ state: 'unauthorized' });
          return;
        }
      }
      if (signal.aborted) return;
      this.set({ state: 'offline' });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }

  private add(event: EventRecord): void {
    const { events } = this.snapshot;
    if (events.some((e) => e.id === event.id)) return;
    const merged = [event, ...events].sort((a, b) => b.id - a.id).slice(0, MAX_EVENTS);
    this.set({ state: 'live', events: merged, version: this.snapshot.version + 1 });
  }

  private set(patch: Partial<LiveSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener(this.snapshot);
  }
}

/** The page's one live feed. */
export const feed = new LiveFeed();

/** The live feed's current state; re-renders the component on every change. */
export function useLive(): LiveSnapshot {
  const [snapshot, setSnapshot] = useState(feed.current);
  useEffect(() => feed.subscribe(setSnapshot), []);
  return snapshot;
}
