import { WandolError } from '../core/errors.js';
import { isAppName } from '../core/names.js';
import { normalizeHost } from './proxy-headers.js';
import type { RouteSpec } from './route.js';

/** Who holds a port or a host name right now, as the router sees it. */
export interface RouteClaims {
  sharedPort: number | undefined;
  /** The app whose dedicated listener is on `port`, if any. */
  portOwner(port: number): string | undefined;
  /** The app served for the normalized host name, if any. */
  hostOwner(host: string): string | undefined;
}

/**
 * Checks a RouteSpec before anything changes: app name, port range, target endpoints (INVALID_NAME /
 * INVALID_CONFIG), a port held by the shared listener or another app (PORT_IN_USE) and a host name served
 * for another app (CONFLICT). Returns nothing; throws WandolError.
 */
export function checkRouteSpec(spec: RouteSpec, claims: RouteClaims): void {
  if (!isAppName(spec.app))
    throw new WandolError('INVALID_NAME', `invalid app name ${JSON.stringify(spec.app)}`);
  if (spec.port !== undefined) checkPort(spec, claims);
  if (spec.host !== undefined) checkHost(spec, claims);
  for (const target of spec.targets) {
    const { host, port } = target.endpoint;
    if (typeof host !== 'string' || host === '' || !isPort(port)) {
      throw new WandolError(
        'INVALID_CONFIG',
        `route ${spec.app}: target ${target.instanceId} has no valid endpoint (host and port 1-65535 required)`,
      );
    }
  }
}

function checkPort(spec: RouteSpec, claims: RouteClaims): void {
  const port = spec.port as number;
  if (!isPort(port)) {
    throw new WandolError('INVALID_CONFIG', `route ${spec.app}: port ${port} is not a TCP port (1-65535)`);
  }
  if (port === claims.sharedPort) {
    throw new WandolError(
      'PORT_IN_USE',
      `route ${spec.app}: port ${port} is the router's shared HTTP port; choose another`,
    );
  }
  const owner = claims.portOwner(port);
  if (owner !== undefined && owner !== spec.app) {
    throw new WandolError(
      'PORT_IN_USE',
      `route ${spec.app}: port ${port} is already the route port of app ${owner}`,
    );
  }
}

function checkHost(spec: RouteSpec, claims: RouteClaims): void {
  const host = normalizeHost(spec.host as string);
  if (host === '') throw new WandolError('INVALID_CONFIG', `route ${spec.app}: host must not be empty`);
  const owner = claims.hostOwner(host);
  if (owner !== undefined && owner !== spec.app) {
    throw new WandolError('CONFLICT', `route ${spec.app}: host ${host} is already routed to app ${owner}`);
  }
}

function isPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535;
}
