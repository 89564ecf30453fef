import { WandolError } from './errors.js';

/**
 * A counting semaphore: at most `limit` `run` calls execute at once, the others wait in call order.
 * A waiter whose `signal` aborts leaves the queue and rejects with CANCELLED.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: { start: () => void; signal?: AbortSignal }[] = [];

  constructor(private readonly limit: number) {}

  /** Runs `fn` once a slot is free; the slot is released when it settles. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.active--;
      this.next();
    }
  }

  /** How many callers wait for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new WandolError('CANCELLED', 'cancelled while waiting'));
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = { start: () => resolve(), signal };
      this.waiting.push(entry);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new WandolError('CANCELLED', 'cancelled while waiting for a build slot'));
        },
        { once: true },
      );
    });
  }

  private next(): void {
    const entry = this.waiting.shift();
    if (!entry) return;
    this.active++;
    entry.start();
  }
}
