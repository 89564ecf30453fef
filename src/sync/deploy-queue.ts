/**
 * A one-at-a-time queue of deploys for one app where only the newest waiting entry matters: a
 * deploy queued behind another is dropped (and `onDropped` told) when a newer one is queued.
 */
export class DeployQueue {
  private waiting: number | undefined;
  private running = false;
  private draining: Promise<void> = Promise.resolve();

  constructor(
    private readonly run: (releaseId: number) => Promise<void>,
    private readonly onDropped: (releaseId: number, by: number) => void,
  ) {}

  /** Queues the release's deploy; a release already waiting is superseded by it. */
  enqueue(releaseId: number): void {
    if (this.waiting !== undefined) this.onDropped(this.waiting, releaseId);
    this.waiting = releaseId;
    if (!this.running) this.draining = this.drain();
  }

  /** Resolves once no deploy runs or waits. */
  idle(): Promise<void> {
    return this.draining;
  }

  /** Removes the waiting deploy, if any, and returns its release id. */
  dropWaiting(): number | undefined {
    const dropped = this.waiting;
    this.waiting = undefined;
    return dropped;
  }

  /** true while a deploy runs or waits. */
  get busy(): boolean {
    return this.running || this.waiting !== undefined;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting !== undefined) {
        const next = this.waiting;
        this.waiting = undefined;
        await this.run(next).catch(() => undefined);
      }
    } finally {
      this.running = false;
    }
  }
}
