import type { Duplex } from 'node:stream';
import { WandolError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { AppRoute } from './app-route.js';
import type { Listener } from './listener.js';
import { normalizeHost } from './proxy-headers.js';
import type { RouteSpec, RouteState, RouterControl, TrafficSnapshot } from './route.js';
import { checkRouteSpec, type RouteClaims } from './route-spec-check.js';
import { appListener, sharedListener } from './route-listeners.js';

/** How to build a Router. */
export interface RouterOptions {
  /** The address every listener binds (127.0.0.1 for loopback only, 0.0.0.0 for the network). */
  listenHost: string;
  /** The shared Host-routed listener's port; no shared listener when absent (0 picks a free port). */
  sharedPort?: number;
  logger: Logger;
}

/**
 * The data plane's HTTP proxy: one listener per app with a `port`, one shared listener routing by Host,
 * keep-alive upstream pools, least-outstanding balancing, retries, draining and traffic counters.
 * Route changes are serialized; each is atomic. `start` then `close`; not reusable after `close`.
 */
export class Router implements RouterControl {
  private readonly apps = new Map<string, AppRoute>();
  private readonly hosts = new Map<string, AppRoute>();
  private readonly dedicated = new Map<string, Listener>();
  /** Listeners that stopped accepting but still finish requests on open connections. */
  private readonly retired = new Set<Listener>();
  /** Removed routes whose targets still drain (closed by `close`). */
  private readonly removed = new Set<AppRoute>();
  private readonly tunnels = new Set<Duplex>();
  private readonly since = Date.now();
  private readonly log: Logger;
  private shared: Listener | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: RouterOptions) {
    this.log = options.logger.child({ component: 'router' });
  }

  /** The bound port of the shared listener once started; undefined without one. */
  get sharedPort(): number | undefined {
    return this.shared?.port;
  }

  /** Binds the shared Host-routed listener when `sharedPort` was given. Throws PORT_IN_USE. Idempotent. */
  async start(): Promise<void> {
    if (this.options.sharedPort === undefined || this.shared !== undefined) return;
    const listener = sharedListener(this.hosts, this.tunnels, this.log);
    const port = await listener.bind(this.options.listenHost, this.options.sharedPort);
    this.shared = listener;
    this.log.info('Shared listener started', { host: this.options.listenHost, port });
  }

  /** Creates or replaces the app's route, atomically (see RouterControl). Throws PORT_IN_USE, CONFLICT, INVALID_*. */
  setRoute(spec: RouteSpec): Promise<void> {
    return this.serialize(() => this.applyRoute(spec));
  }

  /** Removes the app's route: its listener stops, its targets drain, its counters go. Idempotent. */
  removeRoute(app: string): Promise<void> {
    return this.serialize(async () => this.dropRoute(app));
  }

  /** Every route with its active and draining targets. */
  async routes(): Promise<RouteState[]> {
    return [...this.apps.values()].map((route) => route.state());
  }

  /** The app's cumulative counters, or undefined when it has no route. */
  async traffic(app: string): Promise<TrafficSnapshot | undefined> {
    return this.apps.get(app)?.traffic.snapshot(app);
  }

  /** Closes every listener, connection, tunnel and upstream pool (in-flight requests are cut). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    const listeners = [...this.dedicated.values(), ...this.retired, ...(this.shared ? [this.shared] : [])];
    const routes = [...this.apps.values(), ...this.removed];
    this.dedicated.clear();
    this.retired.clear();
    this.apps.clear();
    this.hosts.clear();
    this.removed.clear();
    this.shared = undefined;
    for (const socket of this.tunnels) socket.destroy();
    this.tunnels.clear();
    await Promise.all([...listeners.map((l) => l.close()), ...routes.map((r) => r.destroy())]);
    this.log.info('Router closed');
  }

  private async applyRoute(spec: RouteSpec): Promise<void> {
    checkRouteSpec(spec, this.claims());
    const existing = this.apps.get(spec.app);
    const route = existing ?? new AppRoute(spec.app, this.since, this.log);
    const old = this.dedicated.get(spec.app);
    // Bind first: if the port is taken, nothing has changed yet.
    const fresh =
      spec.port !== undefined && old?.port !== spec.port ? await this.listen(route, spec.port) : undefined;
    if (this.closed) {
      await fresh?.close();
      throw new WandolError('CANCELLED', 'the router is closing; the route was not set');
    }
    // From here on everything is synchronous: the switch is atomic for new requests.
    route.setTargets(spec.targets);
    if (route.host !== undefined) this.hosts.delete(normalizeHost(route.host));
    if (spec.host !== undefined) this.hosts.set(normalizeHost(spec.host), route);
    route.host = spec.host;
    route.port = spec.port;
    this.apps.set(spec.app, route);
    if (fresh !== undefined) this.dedicated.set(spec.app, fresh);
    else if (spec.port === undefined) this.dedicated.delete(spec.app);
    if (old !== undefined && old !== this.dedicated.get(spec.app)) this.retire(old);
    this.log.info('Route set', {
      app: spec.app,
      port: spec.port,
      host: spec.host,
      targets: spec.targets.length,
    });
  }

  private dropRoute(app: string): void {
    const route = this.apps.get(app);
    if (route === undefined) return;
    this.apps.delete(app);
    if (route.host !== undefined) this.hosts.delete(normalizeHost(route.host));
    const listener = this.dedicated.get(app);
    if (listener !== undefined) this.retire(listener);
    this.dedicated.delete(app);
    route.setTargets([]);
    for (const r of this.removed) if (!r.hasTargets()) this.removed.delete(r);
    if (route.hasTargets()) this.removed.add(route);
    this.log.info('Route removed', { app });
  }

  private async listen(route: AppRoute, port: number): Promise<Listener> {
    const listener = appListener(route, this.tunnels, this.log);
    await listener.bind(this.options.listenHost, port);
    this.log.info('Route listener started', { app: route.app, host: this.options.listenHost, port });
    return listener;
  }

  private retire(listener: Listener): void {
    this.retired.add(listener);
    listener.server.once('close', () => this.retired.delete(listener));
    listener.retire();
  }

  private claims(): RouteClaims {
    return {
      sharedPort: this.shared?.port ?? this.options.sharedPort,
      portOwner: (port) => [...this.dedicated.entries()].find(([, l]) => l.port === port)?.[0],
      hostOwner: (host) => this.hosts.get(host)?.app,
    };
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new WandolError('CANCELLED', 'the router is closed'));
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
