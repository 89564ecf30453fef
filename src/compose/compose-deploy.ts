import { asMapping, asText, show, type Findings } from './findings.js';

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** Docker's memory sizes (`512m`, `1g`, `1.5GB`, `1048576`: binary units) in bytes, or undefined. */
export function dockerBytes(value: unknown): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$/i.exec(asText(value)?.trim() ?? '');
  if (!m) return undefined;
  const bytes = Math.round(Number(m[1]) * (BYTE_UNITS[(m[2] ?? '').toLowerCase()] ?? 1));
  return bytes > 0 ? bytes : undefined;
}

/** Bytes as a wandol memory quantity: `512Mi`, `1Gi`, or a plain number of bytes. */
export function memoryQuantity(bytes: number): string | number {
  if (bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30}Gi`;
  if (bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20}Mi`;
  return bytes;
}

/** What `deploy`, `mem_limit` and `cpus` give: replicas and resource limits in wandol.yaml form. */
export interface DeployDoc {
  replicas?: number;
  resources?: { cpu?: string; memory?: string | number };
}

/**
 * `deploy.replicas`, `deploy.resources.limits` (or compose v2's `cpus` / `mem_limit`) as wandol's
 * replicas and resources; every other `deploy.*` key is reported. Pure.
 */
export function deployOf(service: Record<string, unknown>, found: Findings): DeployDoc {
  const deploy = asMapping(service.deploy) ?? {};
  const limits = asMapping(asMapping(deploy.resources)?.limits) ?? {};
  const out: DeployDoc = {};
  const replicas = deploy.replicas;
  if (typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 0) out.replicas = replicas;
  else if (replicas !== undefined)
    found.untranslated.push(`deploy.replicas ${show(replicas)}: not a whole number`);
  const cpus = limits.cpus ?? service.cpus;
  const memory = limits.memory ?? service.mem_limit;
  const resources: NonNullable<DeployDoc['resources']> = {};
  const cores = Number(asText(cpus));
  if (cpus !== undefined && Number.isFinite(cores) && cores > 0)
    resources.cpu = `${Math.round(cores * 1000)}m`;
  else if (cpus !== undefined) found.untranslated.push(`cpus ${show(cpus)}: not a number of CPUs`);
  const bytes = dockerBytes(memory);
  if (bytes !== undefined) resources.memory = memoryQuantity(bytes);
  else if (memory !== undefined)
    found.untranslated.push(`memory limit ${show(memory)}: not a size wandol reads`);
  if (Object.keys(resources).length > 0) out.resources = resources;
  for (const key of Object.keys(deploy)) {
    if (key === 'replicas') continue;
    if (key === 'resources') {
      const other = Object.keys(asMapping(deploy.resources) ?? {}).filter((k) => k !== 'limits');
      const extra = Object.keys(limits).filter((k) => k !== 'cpus' && k !== 'memory');
      for (const k of [
        ...other.map((k) => `deploy.resources.${k}`),
        ...extra.map((k) => `deploy.resources.limits.${k}`),
      ]) {
        found.untranslated.push(`${k}: wandol has limits only (resources.cpu and resources.memory)`);
      }
    } else if (key === 'restart_policy') {
      found.notes.push('deploy.restart_policy: wandol always restarts an instance that exits');
    } else {
      found.untranslated.push(`deploy.${key}: no wandol equivalent (Swarm setting)`);
    }
  }
  return out;
}
