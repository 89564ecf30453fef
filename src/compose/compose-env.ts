import { ENV_NAME } from '../config/fields.js';
import { asMapping, asText, show, type Findings } from './findings.js';

/** Name parts that make a variable look secret (`DISCORD_TOKEN`, `DB_PASSWORD`, `API_KEY`). */
const SECRET_PARTS = new Set([
  'TOKEN',
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWD',
  'PASS',
  'KEY',
  'APIKEY',
  'CREDENTIAL',
  'CREDENTIALS',
]);

/** True when a variable's name looks like it holds a secret. Pure. */
export function looksSecret(name: string): boolean {
  const parts = name.toUpperCase().split(/[_.-]+/);
  return parts.some((p) => SECRET_PARTS.has(p)) || /(TOKEN|SECRET|PASSWORD|APIKEY)$/.test(name.toUpperCase());
}

/** True when a value is a URL with a password in it (`postgres://user:pw@db/app`). */
function hasUrlPassword(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i.test(value);
}

/** The variables of a service split into plain env and secrets (names only; values never leave). */
export interface ServiceEnv {
  env: Record<string, string>;
  secrets: string[];
  /** Every value, secrets included: to look for names of other services, never to be written. */
  values: Record<string, string>;
}

/**
 * `environment` (a mapping or a list of `NAME=value`) over the `env_file` values, as compose merges
 * them. Secret-looking names, and URLs carrying a password, become secrets with a note to set them
 * with `wandol secret set`; PORT is dropped (wandol sets it); a name without a value (compose takes
 * it from the shell) is reported. Pure.
 */
export function serviceEnv(
  app: string,
  environment: unknown,
  fromFiles: Record<string, string>,
  found: Findings,
): ServiceEnv {
  const merged: Record<string, string | undefined> = {
    ...fromFiles,
    ...environmentEntries(environment, found),
  };
  const env: Record<string, string> = {};
  const secrets: string[] = [];
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(merged)) {
    if (!ENV_NAME.test(name)) {
      found.untranslated.push(
        `environment.${name}: not a valid variable name for wandol (letters, digits, _)`,
      );
    } else if (name === 'PORT') {
      found.notes.push('environment.PORT: dropped; wandol sets PORT to run.port itself');
    } else if (value === undefined) {
      found.untranslated.push(
        `environment.${name}: has no value (compose reads it from your shell); add it to env, or run \`wandol secret set ${app} ${name}\` and list it in secrets`,
      );
    } else {
      values[name] = value;
      if (looksSecret(name) || hasUrlPassword(value)) secrets.push(name);
      else env[name] = value;
    }
  }
  for (const name of secrets) {
    found.notes.push(
      `secret ${name}: moved out of env; set its value with \`wandol secret set ${app} ${name}\` (read from stdin)`,
    );
  }
  return { env, secrets, values };
}

function environmentEntries(environment: unknown, found: Findings): Record<string, string | undefined> {
  if (environment === undefined || environment === null) return {};
  const mapping = asMapping(environment);
  if (mapping) {
    return Object.fromEntries(
      Object.entries(mapping).map(([k, v]) => [k, v === null ? undefined : (asText(v) ?? JSON.stringify(v))]),
    );
  }
  if (!Array.isArray(environment)) {
    found.untranslated.push(`environment: expected a mapping or a list, got ${show(environment)}`);
    return {};
  }
  const out: Record<string, string | undefined> = {};
  for (const item of environment) {
    const text = asText(item) ?? '';
    const eq = text.indexOf('=');
    if (eq < 0) out[text] = undefined;
    else out[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return out;
}

/** The `env_file` entries of a service: paths (relative to the compose file) and whether required. */
export function envFileEntries(envFile: unknown): { path: string; required: boolean }[] {
  if (envFile === undefined || envFile === null) return [];
  const list = Array.isArray(envFile) ? envFile : [envFile];
  return list.flatMap((item) => {
    const text = asText(item);
    if (text !== undefined) return [{ path: text, required: true }];
    const mapping = asMapping(item);
    const path = asText(mapping?.path);
    return path === undefined ? [] : [{ path, required: mapping?.required !== false }];
  });
}
