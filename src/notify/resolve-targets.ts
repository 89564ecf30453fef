import type { NotifySpec } from '../config/app-spec.js';
import { registerSecret } from '../core/redact.js';
import type { NotifyTarget } from './notify-target.js';

/** An app's targets with their secrets filled in, and why any of them was left out. */
export interface ResolvedTargets {
  targets: NotifyTarget[];
  /** One line per target left out: a secret that is not set, or a URL secret that is not a URL. */
  problems: string[];
}

/**
 * Turns an app's `notify` entries into targets: `urlSecret` and `signingSecret` are secret names,
 * looked up with `secretOf` (the app's secrets). A target whose secrets are missing, or whose URL
 * secret is not an http(s) URL, is left out with a problem (never sent unsigned or half-resolved).
 * Registers the resolved values with redact(). Never throws.
 */
export function resolveNotifyTargets(
  app: string,
  specs: readonly NotifySpec[] | undefined,
  secretOf: (name: string) => string | undefined,
): ResolvedTargets {
  const targets: NotifyTarget[] = [];
  const problems: string[] = [];
  (specs ?? []).forEach((spec, i) => {
    const missing = (name: string): string =>
      `notify[${i}] (${spec.type}): secret ${name} is not set: run \`wandol secret set ${app} ${name}\``;
    const url = spec.urlSecret === undefined ? spec.url : secretOf(spec.urlSecret)?.trim();
    if (url === undefined) return void problems.push(missing(spec.urlSecret ?? 'url'));
    if (spec.urlSecret !== undefined) registerSecret(url);
    if (!isHttpUrl(url)) {
      const name = spec.urlSecret ?? 'url';
      return void problems.push(`notify[${i}] (${spec.type}): ${name} is not an http(s) URL: set it again`);
    }
    let signingSecret: string | undefined;
    if (spec.signingSecret !== undefined) {
      signingSecret = secretOf(spec.signingSecret);
      if (signingSecret === undefined || signingSecret === '')
        return void problems.push(missing(spec.signingSecret));
      registerSecret(signingSecret);
    }
    targets.push({
      type: spec.type,
      url,
      on: spec.on,
      ...(signingSecret === undefined ? {} : { signingSecret }),
    });
  });
  return { targets, problems };
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
