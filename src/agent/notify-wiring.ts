import type { EventRecord } from '../api/wire.js';
import type { Logger } from '../core/logger.js';
import { loadNotifyFile } from '../notify/load-notify-file.js';
import { Notifier } from '../notify/notifier.js';
import { notifyKindOf } from '../notify/notify-target.js';
import { resolveNotifyTargets } from '../notify/resolve-targets.js';
import type { AppStore } from '../store/app-store.js';
import type { ReleaseStore } from '../store/release-store.js';
import type { SecretStore } from '../store/secret-store.js';

/**
 * Sends events to Discord, Slack and signed webhooks: the agent-wide targets of `--notify-file`
 * plus the app's own `notify:` (from the event's release, else the live one), URLs resolved from
 * the app's secrets. Fire and forget: a slow or failing receiver never blocks a deploy. Throws
 * (USAGE, INVALID_CONFIG) only for a bad notify file, so that `wandol up` says so at once.
 */
export function wireNotifications(opts: {
  notifyFile?: string;
  subscribe: (listener: (event: EventRecord) => void) => () => void;
  apps: AppStore;
  releases: ReleaseStore;
  secrets: SecretStore;
  logger: Logger;
}): { close: () => Promise<void> } {
  const global = opts.notifyFile ? loadNotifyFile(opts.notifyFile) : [];
  const notifier = new Notifier({ logger: opts.logger.child({ component: 'notify' }) });
  const warned = new Set<number>();
  const appTargets = (event: EventRecord) => {
    if (!event.app) return [];
    const fromRelease = event.releaseId === null ? null : opts.releases.get(event.releaseId)?.spec;
    const liveId = opts.apps.get(event.app)?.liveReleaseId;
    const spec = fromRelease ?? (liveId ? opts.releases.get(liveId)?.spec : null);
    if (!spec?.notify?.length) return [];
    const secrets = opts.secrets.values(event.app); // decrypted once per event, not per name
    const resolved = resolveNotifyTargets(event.app, spec.notify, (name) => secrets[name]);
    if (resolved.problems.length > 0 && event.releaseId !== null && !warned.has(event.releaseId)) {
      warned.add(event.releaseId);
      opts.logger.warn('Notification targets skipped', { app: event.app, problems: resolved.problems });
    }
    return resolved.targets;
  };
  const unsubscribe = opts.subscribe((event) => {
    // Most events are never notified: no release read, spec parse or secret decryption for them.
    if (notifyKindOf(event.type) === undefined) return;
    const targets = [...global, ...appTargets(event)];
    if (targets.length > 0) notifier.notify(event, targets);
  });
  return {
    close: async () => {
      unsubscribe();
      await Promise.race([notifier.idle(), new Promise((r) => setTimeout(r, 5000))]);
      await notifier.close();
    },
  };
}
