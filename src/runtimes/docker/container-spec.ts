import type Docker from 'dockerode';
import { WandolError } from '../../core/errors.js';
import type { InstanceSpec } from '../runtime.js';

/** The labels wandol puts on every container it starts; it lists and stops only those. */
export const LABEL = {
  app: 'wandol.app',
  release: 'wandol.release',
  slot: 'wandol.slot',
  instance: 'wandol.instance',
  revision: 'wandol.revision',
  /** The container port published on 127.0.0.1 (read back to find the endpoint). */
  port: 'wandol.port',
  /** Where the instance's output lines go, so that a restarted agent resumes following them. */
  logFile: 'wandol.log-file',
  /** Optional: which wandol (data dir) owns it, when several share one engine. */
  scope: 'wandol.scope',
} as const;

const INSTANCE_ID = /^[a-z0-9]([a-z0-9-]{0,200}[a-z0-9])?$/;
/** Docker's own bounds on its json-file logs, besides wandol's app log. */
const LOG_CONFIG = { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } };

/** The container name of an instance: `wandol-<id>`. */
export function containerName(id: string): string {
  return `wandol-${id}`;
}

/** The Docker volume of an app's named volume: `wandol-<app>-<name>` (kept across releases). */
export function volumeName(app: string, name: string): string {
  return `wandol-${app}-${name}`;
}

/** Checks what the docker runtime needs of a spec; returns the image and port. Throws WandolError. */
export function checkDockerSpec(spec: InstanceSpec): { image: string; port: number | undefined } {
  if (typeof spec.id !== 'string' || !INSTANCE_ID.test(spec.id)) {
    throw new WandolError(
      'INVALID_NAME',
      `invalid instance id ${JSON.stringify(spec.id)}: use a-z, 0-9 and '-'`,
    );
  }
  if (typeof spec.image !== 'string' || spec.image.trim() === '') {
    throw new WandolError(
      'INVALID_CONFIG',
      `instance ${spec.id} has no image: the docker runtime runs the image built from build.dockerfile (wandol deploy builds it)`,
    );
  }
  return { image: spec.image, port: spec.port };
}

/**
 * The create options of an instance's container. Pure. `run.command`, when set, replaces the
 * image's CMD with `/bin/sh -c <command>` (the image's ENTRYPOINT, if any, is kept). The port is
 * published on an ephemeral 127.0.0.1 port only; resources become cgroup limits (memory without
 * extra swap, so that going over it is an OOM kill rather than swapping).
 */
export function containerCreateOptions(
  spec: InstanceSpec,
  extraLabels: Record<string, string> = {},
): Docker.ContainerCreateOptions {
  const { image, port } = checkDockerSpec(spec);
  const env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
  if (port !== undefined) env.push(`PORT=${port}`);
  const portKey = port === undefined ? undefined : `${port}/tcp`;
  return {
    name: containerName(spec.id),
    Image: image,
    Env: env,
    ...(spec.command?.trim() ? { Cmd: ['/bin/sh', '-c', spec.command] } : {}),
    Labels: { ...extraLabels, ...labelsOf(spec) },
    ...(portKey ? { ExposedPorts: { [portKey]: {} } } : {}),
    StopTimeout: Math.max(0, Math.ceil(spec.terminationGracePeriodMs / 1000)),
    HostConfig: {
      ...(portKey ? { PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: '' }] } } : {}),
      ...limits(spec.resources),
      Mounts: spec.volumes.map((v) => ({
        Type: 'volume' as const,
        Source: volumeName(spec.app, v.name),
        Target: v.mountPath,
      })),
      LogConfig: LOG_CONFIG,
    },
  };
}

function labelsOf(spec: InstanceSpec): Record<string, string> {
  return {
    [LABEL.app]: spec.app,
    [LABEL.release]: String(spec.releaseId),
    [LABEL.slot]: spec.slot,
    [LABEL.instance]: spec.id,
    [LABEL.revision]: spec.revision,
    [LABEL.logFile]: spec.logFile,
    ...(spec.port === undefined ? {} : { [LABEL.port]: String(spec.port) }),
  };
}

function limits(resources: InstanceSpec['resources']): Docker.HostConfig {
  const out: Docker.HostConfig = {};
  if (resources.cpuMillis !== undefined) out.NanoCpus = resources.cpuMillis * 1_000_000;
  if (resources.memoryBytes !== undefined) {
    out.Memory = resources.memoryBytes;
    out.MemorySwap = resources.memoryBytes;
  }
  return out;
}
