import { z } from 'zod';
import type { AppSpec, RuntimeKind, StrategyType } from './app-spec.js';
import { buildCacheField, buildMemoryField } from './build-cache-field.js';
import { envField } from './env-field.js';
import * as f from './fields.js';
import { notifyField } from './notify-field.js';
import { probeSchema } from './probe-schema.js';
import { leaf, list, oneOf, oneOfText, orEmpty, requiredLeaf, strict, wholeNumber } from './schema-kit.js';
import { defined } from '../core/defined.js';

/** The accepted runtimes, in the order messages list them. */
export const RUNTIMES: readonly RuntimeKind[] = ['process', 'docker', 'kubernetes'];
/** The accepted strategies, in the order messages list them. */
export const STRATEGIES: readonly StrategyType[] = ['blue-green', 'rolling', 'recreate'];

const SECOND = 1000;
const count = (min: number, fallback: number) =>
  leaf(
    min === 0 ? 'a whole number, 0 or more' : `a whole number of at least ${min}`,
    wholeNumber(min),
    fallback,
  );
const instances = (fallback: number) =>
  leaf('a number of instances, 0 or more (percentages are not supported)', wholeNumber(0), fallback);

const strategy = strict({
  type: leaf(oneOfText(STRATEGIES), oneOf(STRATEGIES), 'blue-green'),
  scaleDownDelay: f.duration(30 * SECOND),
  watch: f.duration(0),
  progressDeadline: f.duration(120 * SECOND, true),
  maxSurge: instances(1),
  maxUnavailable: instances(0),
});

const probes = strict({
  startup: probeSchema().optional(),
  readiness: probeSchema().optional(),
  liveness: probeSchema().optional(),
});

const autoscale = strict({
  min: count(1, 1),
  max: requiredLeaf('a whole number of at least 1', wholeNumber(1)),
  targetCPUUtilization: leaf('a whole number from 1 to 100 (percent)', wholeNumber(1, 100), 80),
  targetMemoryUtilization: leaf('a whole number from 1 to 100 (percent)', wholeNumber(1, 100)),
  targetRequestsPerSecond: leaf('a number of requests per second per instance, more than 0', (v) =>
    typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined,
  ),
  scaleDownStabilization: f.duration(300 * SECOND),
});

const volume = strict({
  name: requiredLeaf('a name of a-z, 0-9 and - (at most 63)', f.dnsLabel),
  mountPath: requiredLeaf('an absolute path like /app/data', (v) =>
    typeof v === 'string' && /^\/\S*$/.test(v) ? v : undefined,
  ),
});

const fields = strict({
  runtime: leaf(oneOfText(RUNTIMES), oneOf(RUNTIMES), 'process'),
  build: orEmpty(
    strict({
      command: f.command(),
      dockerfile: leaf(f.RELATIVE_PATH_TEXT, f.relativePath),
      timeout: f.duration(600 * SECOND, true),
      memory: buildMemoryField(),
      cache: buildCacheField(),
    }),
  ),
  run: orEmpty(strict({ command: f.command(), port: f.port() })),
  replicas: count(0, 1),
  strategy: orEmpty(strategy),
  probes: orEmpty(probes),
  drain: orEmpty(strict({ timeout: f.duration(30 * SECOND) })),
  terminationGracePeriod: f.duration(30 * SECOND),
  resources: orEmpty(strict({ cpu: f.cpu(), memory: f.memory() })),
  autoscale: autoscale.optional(),
  env: envField(),
  secrets: list(f.envName()).default([]),
  volumes: list(volume).default([]),
  route: strict({ port: f.port(), host: leaf('a hostname like hello.localhost', f.hostname) }).optional(),
  gitops: strict({
    kustomization: requiredLeaf(f.RELATIVE_PATH_TEXT, f.relativePath),
    image: requiredLeaf(
      'an image name without tag, like "registry.example/hello" (wandol writes the tag)',
      f.imageName,
    ),
  }).optional(),
  notify: notifyField('app'),
});
type Parsed = z.output<typeof fields>;

/** The top-level keys of wandol.yaml, in the order of the spec. */
export const APP_SPEC_KEYS: readonly string[] = Object.keys(fields.shape);

/** wandol.yaml field by field, normalised into an AppSpec (cross-field rules: cross-field-rules.ts). */
export const appSpecSchema = fields.transform(toAppSpec);

/** Renames parsed fields into the AppSpec shape (units were converted by the field parsers). */
function toAppSpec(p: Parsed): AppSpec {
  return {
    runtime: p.runtime,
    build: {
      ...defined({ command: p.build.command, dockerfile: p.build.dockerfile }),
      timeoutMs: p.build.timeout,
      memoryBytes: p.build.memory,
      cache: p.build.cache,
    },
    run: defined({ command: p.run.command, port: p.run.port }),
    replicas: p.replicas,
    strategy: {
      type: p.strategy.type,
      scaleDownDelayMs: p.strategy.scaleDownDelay,
      watchMs: p.strategy.watch,
      progressDeadlineMs: p.strategy.progressDeadline,
      maxSurge: p.strategy.maxSurge,
      maxUnavailable: p.strategy.maxUnavailable,
    },
    probes: defined(p.probes),
    drain: { timeoutMs: p.drain.timeout },
    terminationGracePeriodMs: p.terminationGracePeriod,
    resources: defined({ cpuMillis: p.resources.cpu, memoryBytes: p.resources.memory }),
    ...defined({ autoscale: p.autoscale && toAutoscale(p.autoscale), gitops: p.gitops }),
    env: p.env,
    secrets: p.secrets,
    volumes: p.volumes,
    ...(p.route === undefined ? {} : { route: defined(p.route) }),
    notify: p.notify,
  };
}

/** The `autoscale` mapping in AppSpec units (the stabilization window in ms). */
function toAutoscale(a: NonNullable<Parsed['autoscale']>): NonNullable<AppSpec['autoscale']> {
  const { scaleDownStabilization, ...rest } = a;
  return {
    ...defined(rest),
    min: a.min,
    max: a.max,
    targetCPUUtilization: a.targetCPUUtilization,
    scaleDownStabilizationMs: scaleDownStabilization,
  };
}
