/**
 * The last reading of one cumulative counter (CPU seconds, requests…) per instance, kept between
 * autoscaler ticks so that a rate is taken over a real interval. A reading newer than the base
 * replaces it; one that is not newer leaves the older base in place, so the next rate spans a real
 * interval.
 */
export class CounterBases<T extends { sampledAt: number }> {
  private readonly bases = new Map<string, T>();

  /**
   * Records `current` for instance `id` and returns the reading to take the rate from: the previous
   * base, or undefined on the instance's first reading (no rate yet).
   */
  advance(id: string, current: T): T | undefined {
    const previous = this.bases.get(id);
    if (!previous || current.sampledAt > previous.sampledAt) this.bases.set(id, current);
    return previous;
  }

  /** Forgets the instances not in `ids` (gone from the live release). */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.bases.keys()) if (!ids.has(id)) this.bases.delete(id);
  }
}
