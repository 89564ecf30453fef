import type { EventRecord } from '../api/wire.js';
import type { Logger } from '../core/logger.js';
import { redact } from '../core/redact.js';
import type { EventStore } from '../store/event-store.js';

/** Stores user-facing events and hands each one to live subscribers (the SSE stream). */
export class EventBus {
  private readonly listeners = new Set<(event: EventRecord) => void>();

  constructor(
    private readonly store: EventStore,
    private readonly logger: Logger,
  ) {}

  /** Stores the event (message redacted) and publishes it. Never throws. */
  record(event: Omit<EventRecord, 'id' | 'at'>): void {
    try {
      const stored = this.store.append({ ...event, message: redact(event.message) });
      this.logger.info('Event', { app: event.app, type: event.type, release: event.releaseId });
      for (const listener of this.listeners) listener(stored);
    } catch (err) {
      this.logger.error('Event not stored', { err, type: event.type });
    }
  }

  /** Calls `listener` for every new event until the returned function is called. */
  subscribe(listener: (event: EventRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
