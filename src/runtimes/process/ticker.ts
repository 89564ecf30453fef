/**
 * Calls `tick` every `intervalMs` while started. The timer is unref'd (it never keeps the process
 * alive), start and stop are idempotent, and an error thrown by `tick` goes to `onError` without
 * stopping the ticks.
 */
export class Ticker {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly intervalMs: number,
    private readonly tick: () => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Starts ticking (the first tick one interval from now). No-op when already started. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (err) {
        this.onError(err);
      }
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops ticking. Idempotent. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
