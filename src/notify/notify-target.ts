import type { NotifyKind, NotifyType } from '../config/app-spec.js';

export type { NotifyKind, NotifyType } from '../config/app-spec.js';

/**
 * A resolved notification target: the URL itself (the agent resolves an app's `urlSecret` with its
 * secrets), the kinds it wants, and for type webhook the key that signs each body.
 */
export interface NotifyTarget {
  type: NotifyType;
  url: string;
  on: NotifyKind[];
  signingSecret?: string;
}

/** wandol's event types (EventRecord.type) that are notified, and the kind each becomes. */
export const NOTIFY_EVENT_KINDS: Readonly<Record<string, NotifyKind>> = {
  Deploying: 'started',
  Deployed: 'succeeded',
  DeployFailed: 'failed',
  BuildFailed: 'failed',
  RolledBack: 'rolledBack',
  HealthDegraded: 'degraded',
};

/** The notification kind of an event type; undefined for events that are not notified. Pure. */
export function notifyKindOf(eventType: string): NotifyKind | undefined {
  return Object.hasOwn(NOTIFY_EVENT_KINDS, eventType) ? NOTIFY_EVENT_KINDS[eventType] : undefined;
}

/**
 * How a target's URL appears in logs: scheme and host only (`https://discord.com/…`), since the
 * path of a Discord or Slack webhook URL is its token, and a generic one may hold one too. Pure.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname === '/' && parsed.search === '' ? '' : '/…';
    return `${parsed.protocol}//${parsed.host}${path}`;
  } catch {
    return '(not a URL)';
  }
}
