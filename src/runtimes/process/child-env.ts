import type { InstanceSpec } from '../runtime.js';

/** Variables passed through from the supervisor's own environment; everything else is left out. */
const BASE_KEYS = ['PATH', 'HOME', 'LANG', 'TZ'] as const;

/**
 * The environment of an instance: a small base (PATH, HOME, LANG, TZ when set) from `from`, then
 * the spec's env, then wandol's own variables, which always win (the app must listen on $PORT). Pure.
 */
export function childEnv(spec: InstanceSpec, port: number, from: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of BASE_KEYS) {
    const value = from[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, spec.env);
  env.PORT = String(port);
  env.HOST = '127.0.0.1';
  env.WANDOL_INSTANCE = spec.id;
  env.WANDOL_RELEASE = String(spec.releaseId);
  env.WANDOL_REVISION = spec.revision;
  return env;
}

/** The marker every instance carries in its environment: how orphan cleanup recognises ours. */
export function instanceMarker(id: string): string {
  return `WANDOL_INSTANCE=${id}`;
}
