import { parseDuration } from '../core/duration.js';
import { asMapping, asText, show, type Findings } from './findings.js';

/** A probe as written in wandol.yaml (Kubernetes field names, times in seconds). */
export interface ProbeDoc {
  exec: { command: string[] };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

/** The probes a healthcheck becomes. */
export interface HealthProbes {
  readiness?: ProbeDoc;
  startup?: ProbeDoc;
}

/**
 * A compose healthcheck as exec probes: `test` (`[CMD, ...]` runs as is, `[CMD-SHELL, cmd]` and a
 * plain string run with /bin/sh -c) becomes a readiness probe with interval/timeout/retries as
 * periodSeconds/timeoutSeconds/failureThreshold; start_period becomes a startup probe with the same
 * command that may fail for that long. `disable: true` or `[NONE]` give no probe. Pure.
 */
export function healthProbes(healthcheck: unknown, found: Findings): HealthProbes {
  const hc = asMapping(healthcheck);
  if (healthcheck === undefined || healthcheck === null) return {};
  if (!hc) {
    found.untranslated.push(`healthcheck: expected a mapping, got ${show(healthcheck)}`);
    return {};
  }
  const command = testCommand(hc.test);
  if (hc.disable === true || command === 'none') {
    found.notes.push("healthcheck: disabled; the image's own HEALTHCHECK is ignored by wandol anyway");
    return {};
  }
  if (!command) {
    found.untranslated.push(`healthcheck.test ${show(hc.test)}: not understood`);
    return {};
  }
  const period = seconds(hc.interval, 'interval', found) ?? 30; // compose's default interval
  const timeout = seconds(hc.timeout, 'timeout', found);
  const retries = typeof hc.retries === 'number' && hc.retries >= 1 ? Math.round(hc.retries) : 3;
  const readiness: ProbeDoc = {
    exec: { command },
    periodSeconds: period,
    ...(timeout === undefined ? { timeoutSeconds: 30 } : { timeoutSeconds: timeout }),
    failureThreshold: retries,
  };
  found.notes.push('healthcheck: runs as an exec readiness probe inside the container');
  if (hc.start_interval !== undefined)
    found.untranslated.push('healthcheck.start_interval: no equivalent; periodSeconds applies');
  const startPeriod = seconds(hc.start_period, 'start_period', found);
  if (!startPeriod) return { readiness };
  const startup: ProbeDoc = {
    exec: { command },
    periodSeconds: period,
    timeoutSeconds: readiness.timeoutSeconds ?? 30,
    failureThreshold: Math.max(1, Math.ceil(startPeriod / period)) + retries,
  };
  return { readiness, startup };
}

function testCommand(test: unknown): string[] | 'none' | undefined {
  const text = asText(test);
  if (text !== undefined) return text.trim() === '' ? undefined : ['/bin/sh', '-c', text];
  if (!Array.isArray(test) || test.length === 0) return undefined;
  const [kind, ...rest] = test.map((t) => asText(t) ?? '');
  if (kind === 'NONE') return 'none';
  if (kind === 'CMD' && rest.length > 0) return rest;
  if (kind === 'CMD-SHELL' && rest.length > 0) return ['/bin/sh', '-c', rest.join(' ')];
  return undefined;
}

/** A compose duration in seconds (`1m30s`, `500ms`, `10s`); undefined when absent or unreadable. */
function seconds(value: unknown, key: string, found: Findings): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = asText(value) ?? '';
  const ms = parseDuration(text.trim());
  if (ms === undefined || ms <= 0) {
    found.untranslated.push(`healthcheck.${key} ${show(value)}: not a duration wandol reads`);
    return undefined;
  }
  return Math.round(ms) / 1000;
}
