import type { Duplex } from 'node:stream';
import type { Logger } from '../core/logger.js';
import type { AppRoute } from './app-route.js';
import { Listener } from './listener.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProxyExchange } from './proxy-exchange.js';
import { normalizeHost, rawHost } from './proxy-headers.js';
import { replySocket, replyText } from './replies.js';
import { tunnelUpgrade } from './upgrade-tunnel.js';

/**
 * A dedicated listener for one app (not yet bound): every request and Upgrade goes to `route`, which the
 * router mutates in place, so the listener always sees the route's current targets.
 */
export function appListener(route: AppRoute, tunnels: Set<Duplex>, log: Logger): Listener {
  return new Listener(
    (req, res) => proxyRequest(route, req, res),
    (req, socket, head) => tunnelUpgrade(route, req, socket, head, tunnels),
    log,
  );
}

/**
 * The shared listener (not yet bound): routes each request and Upgrade by its Host header (lower-cased,
 * port stripped) through `hosts`, read at request time; an unknown host gets 404.
 */
export function sharedListener(
  hosts: ReadonlyMap<string, AppRoute>,
  tunnels: Set<Duplex>,
  log: Logger,
): Listener {
  return new Listener(
    (req, res) => {
      const route = hosts.get(normalizeHost(rawHost(req.rawHeaders)));
      if (route === undefined) replyText(res, 404);
      else proxyRequest(route, req, res);
    },
    (req, socket, head) => {
      const route = hosts.get(normalizeHost(rawHost(req.rawHeaders)));
      if (route === undefined) replySocket(socket, 404);
      else tunnelUpgrade(route, req, socket, head, tunnels);
    },
    log,
  );
}

/**
 * Proxies one client request to the app's targets: picks a target (503 with Retry-After when there is
 * none), then streams the request and response through its undici pool. Never throws.
 */
export function proxyRequest(route: AppRoute, req: IncomingMessage, res: ServerResponse): void {
  const target = route.pick();
  if (target === undefined) {
    replyText(res, 503);
    route.traffic.record(undefined, true, 0);
    return;
  }
  new ProxyExchange(route, req, res).send(target);
}
