import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RouteState, TargetState } from '../router/route.js';
import { routeRequests } from './route-requests.js';

const at = (instanceId: string, releaseId: number, port: number, requests?: number): TargetState => ({
  instanceId,
  releaseId,
  endpoint: { host: '127.0.0.1', port },
  active: true,
  inFlight: 0,
  down: false,
  ...(requests === undefined ? {} : { requests }),
});

describe('routeRequests', () => {
  const routes: RouteState[] = [
    { app: 'other', targets: [at('web-2-blue-0', 2, 9000, 999)] },
    {
      app: 'web',
      targets: [
        at('web-2-blue-0', 2, 8001, 40),
        at('web-2-blue-1', 2, 8002, 7),
        at('web-2-blue-1', 2, 8012, 3), // the same instance on a former endpoint, still draining
        at('web-1-green-0', 1, 8003, 500), // the previous release
        at('web-2-blue-2', 2, 8004), // a data plane older than the count
      ],
    },
  ];

  it("adds up each instance's targets of the release, leaving out targets without a count", () => {
    assert.deepEqual(
      [...routeRequests(routes, 'web', 2)],
      [
        ['web-2-blue-0', 40],
        ['web-2-blue-1', 10],
      ],
    );
  });

  it('is empty without a route for the app', () => {
    assert.equal(routeRequests(routes, 'nope', 2).size, 0);
  });
});
