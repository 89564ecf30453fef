import { posix } from 'node:path';
import { quote } from 'shell-quote';
import { parseDuration } from '../core/duration.js';
import { serviceEnv } from './compose-env.js';
import { deployOf } from './compose-deploy.js';
import { healthProbes } from './compose-healthcheck.js';
import { composePorts, exposedPorts } from './compose-ports.js';
import { composeVolumes, volumeLabel } from './compose-volumes.js';
import { asMapping, asText, findings, show, type Findings } from './findings.js';

/** One compose service turned into a wandol app. */
export interface ServiceImport {
  service: string;
  /** The wandol app name (the service name as a DNS label). */
  app: string;
  /** The wandol.yaml document, keys in the spec's order. */
  spec: Record<string, unknown>;
  /** A Dockerfile to commit beside wandol.yaml (image-only services: `FROM <image>`). */
  dockerfile?: string;
  /** The folder of the repository the app lives in, from build.context ('.' for image-only). */
  appPath: string;
  secrets: string[];
  notes: string[];
  untranslated: string[];
}

/** Where a service comes from: its name, its mapping, the other services, and its env_file values. */
export interface ServiceSource {
  name: string;
  service: Record<string, unknown>;
  otherServices: readonly string[];
  envFromFiles: Record<string, string>;
}

/** Port used when a service publishes none (wandol's docker runtime asks for one; see the note). */
export const WORKER_PORT = 8080;

const HANDLED = new Set(
  [
    'image',
    'build',
    'command',
    'ports',
    'expose',
    'environment',
    'env_file',
    'volumes',
    'healthcheck',
  ].concat([
    'restart',
    'deploy',
    'cpus',
    'mem_limit',
    'stop_grace_period',
    'scale',
    'container_name',
    'logging',
  ]),
);
const REASONS: Record<string, string> = {
  depends_on: 'wandol starts apps independently; make the app retry until what it needs answers',
  networks: 'wandol apps do not share a compose network; reach another app through its route',
  network_mode: 'wandol apps do not share a compose network; reach another app through its route',
  links: 'wandol apps do not share a compose network; reach another app through its route',
  extra_hosts: 'no equivalent',
  entrypoint: 'keep it in the image: set ENTRYPOINT in the Dockerfile (run.command replaces only CMD)',
  secrets: 'compose secrets are files; use wandol secrets (env variables set with `wandol secret set`)',
  configs: 'put the file in the image or in a volume',
  working_dir: 'set WORKDIR in the Dockerfile',
  user: 'set USER in the Dockerfile',
  labels: 'wandol labels its containers itself',
  profiles: 'every imported service is its own app: add the ones you want',
};

/**
 * Translates one compose service into a wandol.yaml document for the docker runtime, and lists
 * what needs the user's attention (notes) and what could not be translated. Pure.
 */
export function translateService(src: ServiceSource): ServiceImport {
  const found = findings();
  const { service } = src;
  const app = volumeLabel(src.name) ?? 'app';
  if (app !== src.name) found.notes.push(`app name: ${app} (the service name made a-z, 0-9 and -)`);
  const source = buildOf(src, app, found);
  const port = portOf(service, found);
  const command = commandOf(service.command, found);
  const { env, secrets, values } = serviceEnv(app, service.environment, src.envFromFiles, found);
  noteServiceReferences(values, src.otherServices, found);
  const deploy = deployOf(service, found);
  const replicas = deploy.replicas ?? (typeof service.scale === 'number' ? service.scale : undefined);
  const probes = healthProbes(service.healthcheck, found);
  const volumes = composeVolumes(app, service.volumes, found);
  const grace = graceOf(service.stop_grace_period, found);
  restartNote(service, found);
  otherKeys(service, found);
  const spec: Record<string, unknown> = {
    runtime: 'docker',
    build: { dockerfile: source.dockerfile },
    run: { ...(command ? { command } : {}), port: port.run },
    ...(replicas !== undefined ? { replicas } : {}),
    ...(Object.keys(probes).length > 0 ? { probes } : {}),
    ...(grace ? { terminationGracePeriod: grace } : {}),
    ...(deploy.resources ? { resources: deploy.resources } : {}),
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(secrets.length > 0 ? { secrets } : {}),
    ...(volumes.length > 0 ? { volumes } : {}),
    ...(port.route ? { route: { port: port.route } } : {}),
  };
  return {
    service: src.name,
    app,
    spec,
    ...(source.generated ? { dockerfile: source.generated } : {}),
    appPath: source.appPath,
    secrets,
    notes: found.notes,
    untranslated: found.untranslated,
  };
}

interface BuildSource {
  dockerfile: string;
  appPath: string;
  generated?: string;
}

function buildOf(src: ServiceSource, app: string, found: Findings): BuildSource {
  const image = asText(src.service.image);
  const build = src.service.build;
  if (build === undefined || build === null) {
    if (!image) {
      found.untranslated.push('image/build: the service has neither; write a Dockerfile for it');
      return { dockerfile: 'Dockerfile', appPath: '.', generated: 'FROM scratch\n' };
    }
    found.notes.push(
      `image ${image}: wandol builds from git, so a Dockerfile "FROM ${image}" was written; commit it with wandol.yaml and add the repository with \`wandol app add ${app} --repo <repo>\``,
    );
    return { dockerfile: 'Dockerfile', appPath: '.', generated: `FROM ${image}\n` };
  }
  const mapping = asMapping(build) ?? {};
  const context = asText(build) ?? asText(mapping.context) ?? '.';
  const dockerfile = posix.normalize(asText(mapping.dockerfile) ?? 'Dockerfile');
  for (const key of Object.keys(mapping).filter((k) => k !== 'context' && k !== 'dockerfile')) {
    const why =
      key === 'args'
        ? 'wandol builds without build arguments; give them defaults in the Dockerfile (ARG NAME=value)'
        : 'no wandol equivalent';
    found.untranslated.push(`build.${key}: ${why}`);
  }
  if (image) found.notes.push(`image ${image}: not used; wandol tags its builds ${app}:<commit>`);
  if (/^[a-z]+:\/\/|^git@/.test(context)) {
    found.untranslated.push(
      `build.context ${context}: a remote context; add that repository with \`wandol app add ${app} --repo ${context}\``,
    );
    return { dockerfile, appPath: '.' };
  }
  const appPath = posix.normalize(context).replace(/\/$/, '') || '.';
  const where = appPath === '.' ? '' : ` --path ${appPath}`;
  found.notes.push(
    `build.context ${context}: commit wandol.yaml in that folder and add the app with \`wandol app add ${app} --repo <repo>${where}\``,
  );
  if (dockerfile.startsWith('../') || posix.isAbsolute(dockerfile)) {
    found.untranslated.push(`build.dockerfile ${dockerfile}: must be inside the build context`);
  }
  return { dockerfile, appPath };
}

function portOf(service: Record<string, unknown>, found: Findings): { run: number; route?: number } {
  const ports = composePorts(service.ports, found).filter((p) => {
    if (p.protocol === 'tcp') return true;
    found.untranslated.push(`ports ${p.container}/${p.protocol}: only TCP is routed`);
    return false;
  });
  const [first, ...rest] = ports;
  for (const extra of rest) {
    found.untranslated.push(
      `ports ${extra.published ?? ''}:${extra.container}: an app has one port; only ${first?.container} is kept`,
    );
  }
  if (first) {
    if (first.published === undefined)
      found.notes.push(
        `ports ${first.container}: compose publishes it on a random port; add route.port or route.host to reach it`,
      );
    if (first.hostIp)
      found.notes.push(
        `ports: host_ip ${first.hostIp} dropped; the router listens on wandol up --listen-host`,
      );
    return { run: first.container, ...(first.published ? { route: first.published } : {}) };
  }
  const exposed = exposedPorts(service.expose)[0];
  if (exposed !== undefined) {
    found.notes.push(`expose ${exposed}: kept as run.port without a route (not reachable from outside)`);
    return { run: exposed };
  }
  found.notes.push(
    `no ports: a worker; run.port ${WORKER_PORT} is only a placeholder the docker runtime asks for (without a route the app is ready once it runs, nothing has to listen)`,
  );
  return { run: WORKER_PORT };
}

function commandOf(command: unknown, found: Findings): string | undefined {
  if (command === undefined || command === null) return undefined;
  const text = asText(command);
  if (text !== undefined) return text;
  if (Array.isArray(command) && command.every((c) => asText(c) !== undefined)) {
    found.notes.push('command: run with /bin/sh -c inside the image (it needs a shell)');
    return quote(command.map((c) => asText(c) ?? ''));
  }
  found.untranslated.push(`command ${show(command)}: not understood`);
  return undefined;
}

function graceOf(value: unknown, found: Findings): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = asText(value) ?? '';
  if (parseDuration(text) !== undefined) return text;
  found.untranslated.push(`stop_grace_period ${show(value)}: not a duration wandol reads`);
  return undefined;
}

function restartNote(service: Record<string, unknown>, found: Findings): void {
  const restart = asText(service.restart);
  if (restart === undefined) return;
  const extra = restart === 'no' ? ' (restart: "no" cannot be kept)' : '';
  found.notes.push(`restart ${restart}: wandol always restarts an instance that exits${extra}`);
}

function otherKeys(service: Record<string, unknown>, found: Findings): void {
  if (service.container_name !== undefined)
    found.notes.push('container_name: dropped; wandol names containers wandol-<app>-<release>-...');
  if (service.logging !== undefined)
    found.notes.push('logging: dropped; wandol keeps the output in its app log (`wandol logs <app>`)');
  for (const key of Object.keys(service).filter((k) => !HANDLED.has(k))) {
    found.untranslated.push(`${key}: ${REASONS[key] ?? 'no wandol equivalent'}`);
  }
}

/** Notes env values that name another service as a host: there is no shared network in wandol. */
function noteServiceReferences(
  values: Record<string, string>,
  services: readonly string[],
  found: Findings,
): void {
  for (const [name, value] of Object.entries(values)) {
    const target = services.find((s) => new RegExp(`(^|[/@])${escape(s)}(:\\d+|/|$)`).test(value));
    if (target) {
      found.notes.push(
        `env ${name} names the service "${target}": wandol apps do not share compose's network; point it at that app's address`,
      );
    }
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
