import type { ApiRoute } from './route-table.js';
import { appParam, flagQuery, idParam } from './request-params.js';
import { readJsonBody } from './http-io.js';
import { parseAddAppRequest, parseDeployRequest, parseRollbackRequest } from './request-bodies.js';
import { assertAppName } from '../core/names.js';
import type { DeployResponse } from './wire.js';

/** The routes of apps, their status, deploys and releases: each maps to one AgentService call. */
export const appRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    pattern: '/api/v1/apps',
    // `?status=1` answers AppStatus[] like /api/v1/status (the form wire.ts mentions).
    handler: async ({ service, query }) => ({
      status: 200,
      body: flagQuery(query, 'status') ? await service.statuses() : await service.listApps(),
    }),
  },
  {
    method: 'POST',
    pattern: '/api/v1/apps',
    handler: async ({ service, req }) => {
      const body = parseAddAppRequest(await readJsonBody(req));
      assertAppName(body.name);
      return { status: 201, body: await service.addApp(body) };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/apps/:name',
    handler: async ({ service, params }) => ({ status: 200, body: await service.status(appParam(params)) }),
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/apps/:name',
    handler: async ({ service, params }) => {
      await service.removeApp(appParam(params));
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/status',
    handler: async ({ service }) => ({ status: 200, body: await service.statuses() }),
  },
  {
    method: 'POST',
    pattern: '/api/v1/apps/:name/deploy',
    handler: async ({ service, params, req }) => {
      const name = appParam(params);
      const request = parseDeployRequest(await readJsonBody(req));
      const answer: DeployResponse = { release: await service.deploy(name, request) };
      return { status: 202, body: answer };
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/apps/:name/cancel',
    handler: async ({ service, params }) => ({ status: 200, body: await service.cancel(appParam(params)) }),
  },
  {
    method: 'POST',
    pattern: '/api/v1/apps/:name/rollback',
    handler: async ({ service, params, req }) => {
      const name = appParam(params);
      const request = parseRollbackRequest(await readJsonBody(req));
      const answer: DeployResponse = { release: await service.rollback(name, request) };
      return { status: 202, body: answer };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/apps/:name/releases',
    handler: async ({ service, params }) => ({ status: 200, body: await service.releases(appParam(params)) }),
  },
  {
    method: 'GET',
    pattern: '/api/v1/apps/:name/releases/:id',
    handler: async ({ service, params }) => ({
      status: 200,
      body: await service.release(appParam(params), idParam(params, 'id')),
    }),
  },
];
