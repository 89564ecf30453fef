import { z } from 'zod';
import type { Probe, ProbeAction } from './app-spec.js';
import { port } from './fields.js';
import {
  leaf,
  list,
  numberIn,
  oneOf,
  oneOfText,
  requiredLeaf,
  strict,
  text,
  wholeNumber,
} from './schema-kit.js';

/** The probe actions; a probe has exactly one. */
export const PROBE_ACTIONS = ['httpGet', 'tcpSocket', 'exec'] as const;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const httpGet = strict({
  path: leaf('a URL path starting with /', text(/^\/\S*$/), '/'),
  port: port(),
  httpHeaders: list(
    strict({
      name: requiredLeaf('an HTTP header name', text(HEADER_NAME)),
      value: requiredLeaf('a string', (v) =>
        typeof v === 'string' || typeof v === 'number' ? String(v) : undefined,
      ),
    }),
  ).default([]),
  scheme: leaf(oneOfText(['HTTP']), oneOf(['HTTP']), 'HTTP'),
});

const tcpSocket = strict({ port: port() });

const exec = strict({
  command: list(requiredLeaf('a string', (v) => (typeof v === 'string' ? v : undefined))).min(1, {
    error: 'expected a non-empty list like [cat, /tmp/healthy]',
  }),
});

/**
 * The problem with a probe's actions (which of httpGet, tcpSocket and exec it sets), or undefined
 * when there is exactly one. Pure; shared by the schema and the cross-field rules.
 */
export function probeActionProblem(present: readonly string[]): string | undefined {
  if (present.length === 1) return undefined;
  if (present.length === 0) return `needs exactly one of ${PROBE_ACTIONS.join(', ')}`;
  return `has ${present.join(' and ')}; keep exactly one of ${PROBE_ACTIONS.join(', ')}`;
}

/** A Kubernetes probe (Kubernetes field names and defaults), normalised to a Probe in milliseconds. */
export const probeSchema = () =>
  strict({
    httpGet: httpGet.optional(),
    tcpSocket: tcpSocket.optional(),
    exec: exec.optional(),
    initialDelaySeconds: leaf('a number of seconds, 0 or more', numberIn(0, 86_400), 0),
    periodSeconds: leaf('a number of seconds, more than 0', numberIn(0, 86_400, true), 10),
    timeoutSeconds: leaf('a number of seconds, more than 0', numberIn(0, 86_400, true), 1),
    successThreshold: leaf('a whole number of at least 1', wholeNumber(1), 1),
    failureThreshold: leaf('a whole number of at least 1', wholeNumber(1), 3),
  }).transform((raw, ctx): Probe => {
    const present = PROBE_ACTIONS.filter((name) => raw[name] !== undefined);
    const problem = probeActionProblem(present);
    if (problem !== undefined) {
      ctx.issues.push({ code: 'custom', message: problem, input: raw });
      return z.NEVER;
    }
    return {
      action: toAction(raw),
      initialDelayMs: Math.round(raw.initialDelaySeconds * 1000),
      periodMs: Math.round(raw.periodSeconds * 1000),
      timeoutMs: Math.round(raw.timeoutSeconds * 1000),
      successThreshold: raw.successThreshold,
      failureThreshold: raw.failureThreshold,
    };
  });

type RawProbe = {
  httpGet?: z.output<typeof httpGet>;
  tcpSocket?: z.output<typeof tcpSocket>;
  exec?: z.output<typeof exec>;
};

function toAction(raw: RawProbe): ProbeAction {
  if (raw.httpGet) {
    const { path, port: p, httpHeaders, scheme } = raw.httpGet;
    return { kind: 'httpGet', path, ...(p === undefined ? {} : { port: p }), scheme, httpHeaders };
  }
  if (raw.tcpSocket)
    return { kind: 'tcpSocket', ...(raw.tcpSocket.port === undefined ? {} : { port: raw.tcpSocket.port }) };
  return { kind: 'exec', command: raw.exec?.command ?? [] };
}
