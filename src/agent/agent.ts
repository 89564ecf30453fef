import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { removeAgentInfo, writeAgentInfo } from '../api/agent-info.js';
import { createApiServer } from '../api/api-server.js';
import { secretRoutes } from '../api/secret-routes.js';
import { scaleRoutes } from '../api/scale-routes.js';
import { webhookRoutes } from '../source/webhooks/webhook-routes.js';
import { readWebhookSecret, webhookTarget } from './webhook-target.js';
import { metricsRoute } from '../metrics/metrics-route.js';
import { agentMetrics } from './metrics-wiring.js';
import { wireNotifications } from './notify-wiring.js';
import { parseAppSpec } from '../config/parse-app-spec.js';
import { dataLayout } from '../core/data-layout.js';
import { Semaphore } from '../core/semaphore.js';
import type { Logger } from '../core/logger.js';
import { ensureDataplane } from '../dataplane/launch.js';
import { ProcessRuntime } from '../runtimes/process/process-runtime.js';
import { AppStore } from '../store/app-store.js';
import { openDatabase } from '../store/database.js';
import { EventStore } from '../store/event-store.js';
import { ReleaseStore } from '../store/release-store.js';
import { SecretStore } from '../store/secret-store.js';
import type { SyncDeps } from '../sync/ports.js';
import { AgentServiceImpl } from './agent-service-impl.js';
import { EventBus } from './event-bus.js';
import { processBuilder, sourcePorts } from './ports-adapters.js';
import { runtimeRegistry } from './runtimes.js';
import { sharedListing } from './shared-listing.js';
import { gitopsPort } from './gitops-adapter.js';
import { assertNoOtherAgent, listenApi } from './agent-guard.js';
// --- dashboard (wired by the dashboard work) ---
import { dashboardRoutes } from '../api/dashboard-routes.js';
import { agentMetricSource } from '../dashboard/metric-source.js';
import { MetricSampler } from '../dashboard/metric-sampler.js';
import { MAX_SESSIONS, SessionStore } from '../dashboard/sessions.js';
import { dashboardHtml } from '../dashboard/static-files.js';
import { MetricStore } from '../store/metric-store.js';
import { sqliteSessionRecords } from '../store/session-records.js';
// --- end dashboard ---

/** How the agent is started (`wandol up`). */
export interface AgentOptions {
  dataDir: string;
  apiPort: number;
  httpPort: number;
  listenHost: string;
  webhookSecretFile?: string;
  /** Agent-wide notification targets (JSON, mode 0600): see notify/load-notify-file.ts. */
  notifyFile?: string;
  logger: Logger;
  /** How many builds may run at once across all apps (default 1: small machines). */
  buildConcurrency?: number;
  /** How often autoscalers evaluate (default 15 s, as Kubernetes' HPA). */
  autoscaleIntervalMs?: number;
  /** How often each app is reconciled (default 1 s). */
  reconcileIntervalMs?: number;
}

/** A running agent. `stop` ends the control plane only; the data plane keeps serving. */
export interface RunningAgent {
  apiUrl: string;
  token: string;
  stop(): Promise<void>;
  /** Resolves once the agent has stopped (by `stop` or an API shutdown). */
  done: Promise<void>;
}

/**
 * The composition root of the control plane: opens the database, finds or spawns the data plane,
 * adopts what runs, starts each app's loop, serves the API on 127.0.0.1 and writes agent.json
 * (0600). Throws CONFLICT when another agent runs on the data dir, PORT_IN_USE when the API port is
 * taken.
 */
export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  const layout = dataLayout(opts.dataDir);
  mkdirSync(layout.logsDir, { recursive: true });
  const previous = await assertNoOtherAgent(opts.dataDir);
  const globalSecret = readWebhookSecret(opts.webhookSecretFile);
  const token = previous?.token ?? randomBytes(32).toString('base64url');
  const db = openDatabase(layout.database);
  const logger = opts.logger;
  const dataplane = await ensureDataplane({
    dataDir: opts.dataDir,
    listenHost: opts.listenHost,
    httpPort: opts.httpPort,
    logger,
  });
  // Every app's reconcile lists instances each period: one listing serves them all.
  const processRuntime = sharedListing(new ProcessRuntime(dataplane), 250);
  const apps = new AppStore(db);
  const eventStore = new EventStore(db);
  const bus = new EventBus(eventStore, logger);
  const sources = sourcePorts(layout, logger);
  const secrets = new SecretStore(db, layout.secretKey);
  const runtimes = runtimeRegistry({
    layout,
    processRuntime,
    processBuild: processBuilder(layout, sources, logger),
    sources,
    logger,
  });
  const deps: SyncDeps = {
    layout,
    apps,
    releases: new ReleaseStore(db),
    runtimeFor: runtimes.runtimeFor,
    router: dataplane,
    sourceFor: sources,
    builder: runtimes.builder,
    gitops: gitopsPort(layout, secrets, logger),
    secrets,
    buildSlots: new Semaphore(opts.buildConcurrency ?? 1),
    parseSpec: parseAppSpec,
    record: (event) => bus.record(event),
    logger,
    listenHost: opts.listenHost,
    httpPort: opts.httpPort,
    reconcileIntervalMs: opts.reconcileIntervalMs ?? 1000,
    autoscaleIntervalMs: opts.autoscaleIntervalMs,
  };
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (dataplaneToo: boolean): Promise<void> =>
    (stopping ??= (async () => {
      logger.info('Agent stopping', { dataplane: dataplaneToo });
      await sampler.stop(); // dashboard
      await service.stopAll();
      if (dataplaneToo) await service.stopContainers();
      observed.stop();
      await notifications.close();
      await runtimes.close();
      await new Promise<void>((resolve) => api.close(() => resolve()));
      if (dataplaneToo)
        await dataplane
          .shutdown()
          .catch((err: unknown) => logger.warn('Data plane shutdown failed', { err }));
      dataplane.close();
      await removeAgentInfo(opts.dataDir);
      db.close();
      resolveDone();
    })());
  const service = new AgentServiceImpl(deps, bus, eventStore, secrets, ({ dataplane: d }) => stop(d));
  const notifications = wireNotifications({
    notifyFile: opts.notifyFile,
    subscribe: (listener) => bus.subscribe(listener),
    apps,
    releases: deps.releases,
    secrets,
    logger,
  });
  const observed = agentMetrics(service, dataplane, (listener) => bus.subscribe(listener));
  const hooks = webhookTarget({ globalSecret, apps, secrets, controllers: service.controllers, logger });
  // --- dashboard: sessions, figures over time, routes ---
  const sessions = new SessionStore({ sessions: sqliteSessionRecords(db, MAX_SESSIONS) });
  const metricStore = new MetricStore(db);
  const sampler = new MetricSampler({
    store: metricStore,
    source: agentMetricSource({
      statuses: () => service.statuses(),
      traffic: (app) => dataplane.traffic(app),
    }),
    logger,
  });
  // --- end dashboard ---
  const api = createApiServer({
    service,
    token,
    logger,
    sessions, // dashboard
    dashboardHtml: dashboardHtml(), // dashboard
    routes: [
      ...secretRoutes,
      ...scaleRoutes,
      ...webhookRoutes(hooks),
      metricsRoute(observed.metrics),
      ...dashboardRoutes({ sessions, store: metricStore }), // dashboard
    ],
  });
  const port = ((await listenApi(api, opts.apiPort)) as AddressInfo).port;
  const apiUrl = `http://127.0.0.1:${port}`;
  await writeAgentInfo(opts.dataDir, {
    apiUrl,
    token,
    pid: process.pid,
    dataDir: opts.dataDir,
    httpPort: opts.httpPort,
    startedAt: new Date().toISOString(),
  });
  await service.startAll();
  sampler.start(); // dashboard
  logger.info('Agent started', { api: apiUrl, dataDir: opts.dataDir, apps: apps.list().length });
  return { apiUrl, token, stop: () => stop(false), done };
}
