import type { RouteState } from '../router/route.js';

/**
 * How many requests the router sent so far to each instance of `releaseId` in `app`'s route, by
 * instance id (the counts of an instance's targets added up; a draining target counts until it is
 * retired). Targets without a count (a data plane older than the field) are left out, so their
 * instances have no reading. Pure.
 */
export function routeRequests(
  routes: readonly RouteState[],
  app: string,
  releaseId: number,
): Map<string, number> {
  const counts = new Map<string, number>();
  const route = routes.find((r) => r.app === app);
  for (const target of route?.targets ?? []) {
    const requests = target.requests;
    if (target.releaseId !== releaseId || typeof requests !== 'number' || !(requests >= 0)) continue;
    counts.set(target.instanceId, (counts.get(target.instanceId) ?? 0) + requests);
  }
  return counts;
}
