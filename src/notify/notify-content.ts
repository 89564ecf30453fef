import type { EventRecord } from '../api/wire.js';
import { shortSha } from '../core/names.js';
import { redact } from '../core/redact.js';
import type { NotifyKind } from './notify-target.js';

/** What every payload says about one event, redacted of credentials and registered secrets. */
export interface NotifyContent {
  kind: NotifyKind;
  /** The wandol event type (Deploying, BuildFailed…). */
  event: string;
  /** `hello: deploy failed` */
  title: string;
  app: string | null;
  release: number | null;
  /** The full commit sha when the event names one. */
  revision: string | null;
  message: string;
  at: string;
  data: Record<string, unknown>;
}

const TITLES: Record<string, string> = {
  Deploying: 'deploy started',
  Deployed: 'deployed',
  DeployFailed: 'deploy failed',
  BuildFailed: 'build failed',
  RolledBack: 'rolled back',
  HealthDegraded: 'health degraded',
};

/** The content of a notification for `event` (of kind `kind`): strings redacted. Pure apart from redact's registry. */
export function notifyContent(event: EventRecord, kind: NotifyKind): NotifyContent {
  const revision = typeof event.data.revision === 'string' ? event.data.revision : null;
  return {
    kind,
    event: event.type,
    title: redact(`${event.app ?? 'wandol'}: ${TITLES[event.type] ?? event.type}`),
    app: event.app,
    release: event.releaseId,
    revision,
    message: redact(event.message),
    at: event.at,
    data: redactDeep(event.data) as Record<string, unknown>,
  };
}

/** `release 12 · abc1234` (the parts that are known), for one-line summaries. */
export function releaseLine(content: NotifyContent): string {
  const parts = [
    content.release === null ? undefined : `release ${content.release}`,
    content.revision === null ? undefined : shortSha(content.revision),
  ];
  return parts.filter((p) => p !== undefined).join(' · ');
}

/** Cuts `text` to `max` characters, ending with … when it was longer. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  return value;
}
