import type { Instance, Runtime } from '../runtimes/runtime.js';

/**
 * Wraps a runtime so that the per-app `list` calls of every app's reconcile loop share one listing
 * of all instances for up to `ttlMs` (one call to the runtime instead of one per app and tick).
 * `start`, `stop` and `forget` go straight through and make the next `list` fresh.
 */
export function sharedListing(runtime: Runtime, ttlMs: number): Runtime {
  let cached: { at: number; all: Promise<Instance[]> } | undefined;
  const invalidate = (): void => {
    cached = undefined;
  };
  const all = (): Promise<Instance[]> => {
    if (!cached || Date.now() - cached.at > ttlMs) {
      const listing = runtime.list();
      cached = { at: Date.now(), all: listing };
      listing.catch(invalidate);
    }
    return cached.all;
  };
  return {
    kind: runtime.kind,
    capabilities: runtime.capabilities,
    start: (spec) => runtime.start(spec).finally(invalidate),
    stop: (id) => runtime.stop(id).finally(invalidate),
    forget: (id) => runtime.forget(id).finally(invalidate),
    get: (id) => runtime.get(id),
    list: async (app) => {
      const instances = await all();
      return app === undefined ? instances : instances.filter((i) => i.app === app);
    },
  };
}
