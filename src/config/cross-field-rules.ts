import { RUNTIMES } from './app-spec-schema.js';
import { notifyRules } from './notify-field.js';
import type { Problem } from './problem.js';
import { PROBE_ACTIONS, probeActionProblem } from './probe-schema.js';

type Raw = Record<string, unknown>;
const PROBE_NAMES = ['startup', 'readiness', 'liveness'] as const;

/**
 * Rules that tie fields together, checked on the raw document so that they are reported even when
 * other fields are wrong. Each rule stays silent when the fields it reads are themselves invalid
 * (those get their own message). Pure.
 */
export function crossFieldProblems(raw: Raw): Problem[] {
  return [
    ...runtimeRules(raw),
    ...strategyRules(raw),
    ...probeRules(raw),
    ...autoscaleRules(raw),
    ...uniqueRules(raw),
    ...routeRules(raw),
    ...notifyRules(raw.notify, 'app').map((p) => ({ ...p, path: ['notify', ...p.path] })),
  ];
}

function runtimeRules(raw: Raw): Problem[] {
  const runtime = raw.runtime ?? 'process';
  if (!RUNTIMES.includes(runtime as never)) return [];
  if (runtime === 'process') {
    const message = `required for runtime process: the command that starts your app (it must listen on $PORT), e.g. "node server.js"`;
    return absent(raw, 'run', 'command') ? [{ path: ['run', 'command'], message }] : [];
  }
  const problems: Problem[] = [];
  if (absent(raw, 'build', 'dockerfile'))
    problems.push({
      path: ['build', 'dockerfile'],
      message: `required for runtime ${runtime}: the Dockerfile to build, e.g. "Dockerfile"`,
    });
  // A worker without a route (a bot, a queue consumer) publishes no port.
  if (absent(raw, 'run', 'port') && raw.route !== undefined && raw.route !== null)
    problems.push({
      path: ['run', 'port'],
      message: `required for runtime ${runtime} with a route: the port your container listens on`,
    });
  return problems;
}

function strategyRules(raw: Raw): Problem[] {
  const strategy = mapping(raw.strategy) ?? {};
  if ((strategy.maxSurge ?? 1) !== 0 || (strategy.maxUnavailable ?? 0) !== 0) return [];
  const message =
    'maxSurge and maxUnavailable cannot both be 0 (no instance could ever be replaced); set maxSurge: 1';
  return [{ path: ['strategy', 'maxSurge'], message }];
}

function probeRules(raw: Raw): Problem[] {
  const probes = mapping(raw.probes) ?? {};
  return PROBE_NAMES.flatMap((name): Problem[] => {
    const probe = mapping(probes[name]);
    if (!probe) return [];
    const problems: Problem[] = [];
    const actionProblem = probeActionProblem(PROBE_ACTIONS.filter((a) => probe[a] !== undefined));
    if (actionProblem) problems.push({ path: ['probes', name], message: actionProblem });
    const success = probe.successThreshold;
    if ((name === 'liveness' || name === 'startup') && typeof success === 'number' && success !== 1) {
      const message = 'must be 1 for liveness and startup probes (as in Kubernetes)';
      problems.push({ path: ['probes', name, 'successThreshold'], message });
    }
    return problems;
  });
}

function autoscaleRules(raw: Raw): Problem[] {
  const autoscale = mapping(raw.autoscale);
  if (!autoscale) return [];
  const problems: Problem[] = [];
  const min = autoscale.min ?? 1;
  const max = autoscale.max;
  if (Number.isInteger(min) && Number.isInteger(max) && (min as number) > (max as number))
    problems.push({
      path: ['autoscale', 'min'],
      message: `must not be more than autoscale.max (${min} > ${max})`,
    });
  if (absent(raw, 'resources', 'cpu')) {
    const message =
      'needs resources.cpu (targetCPUUtilization is a share of it), e.g. resources: { cpu: 500m }';
    problems.push({ path: ['autoscale'], message });
  }
  if (autoscale.targetMemoryUtilization !== undefined && absent(raw, 'resources', 'memory')) {
    const message =
      'needs resources.memory (targetMemoryUtilization is a share of it), e.g. resources: { memory: 256Mi }';
    problems.push({ path: ['autoscale', 'targetMemoryUtilization'], message });
  }
  if (autoscale.targetRequestsPerSecond !== undefined && raw.route === undefined) {
    const message =
      'needs a route (the router counts the requests per instance); a worker without one scales on cpu or memory';
    problems.push({ path: ['autoscale', 'targetRequestsPerSecond'], message });
  }
  return problems;
}

function uniqueRules(raw: Raw): Problem[] {
  const env = mapping(raw.env) ?? {};
  const secrets = Array.isArray(raw.secrets) ? raw.secrets : [];
  const volumes = Array.isArray(raw.volumes) ? raw.volumes.map((v) => mapping(v) ?? {}) : [];
  return [
    ...duplicates(secrets, (i) => ['secrets', i]),
    ...secrets.flatMap((name, i): Problem[] =>
      typeof name === 'string' && name !== 'PORT' && Object.hasOwn(env, name)
        ? [{ path: ['secrets', i], message: `${JSON.stringify(name)} is also set in env; keep one of them` }]
        : [],
    ),
    ...duplicates(
      volumes.map((v) => v.name),
      (i) => ['volumes', i, 'name'],
    ),
    ...duplicates(
      volumes.map((v) => v.mountPath),
      (i) => ['volumes', i, 'mountPath'],
    ),
  ];
}

function routeRules(raw: Raw): Problem[] {
  const route = mapping(raw.route);
  if (!route || route.port !== undefined || route.host !== undefined) return [];
  const message = 'needs port (a dedicated listener, 1-65535) or host (a hostname on the shared listener)';
  return [{ path: ['route'], message }];
}

/** A problem for every string that already appeared earlier in `values`. */
function duplicates(values: readonly unknown[], pathOf: (index: number) => PropertyKey[]): Problem[] {
  const seen = new Set<string>();
  return values.flatMap((value, i): Problem[] => {
    if (typeof value !== 'string') return [];
    if (!seen.has(value)) return (seen.add(value), []);
    return [{ path: pathOf(i), message: `${JSON.stringify(value)} is listed more than once` }];
  });
}

/** The value as a mapping, or undefined when it is anything else. */
function mapping(value: unknown): Raw | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
}

/** True when `raw[a][b]` is missing and `raw[a]` is missing or a mapping (else `a` has its own error). */
function absent(raw: Raw, a: string, b: string): boolean {
  if (raw[a] === undefined) return true;
  const parent = mapping(raw[a]);
  return parent !== undefined && parent[b] === undefined;
}
