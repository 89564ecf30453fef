import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WandolError } from '../core/errors.js';
import { registerSecret } from '../core/redact.js';

/** How wandol authenticates to the app's repository for a push. */
export interface GitCredentials {
  /** An HTTPS access token (GitHub, GitLab, Gitea…), sent as Basic `x-access-token:<token>`. */
  httpsToken?: string;
  /** An SSH private key (the text of the file, OpenSSH or PEM). */
  sshKey?: string;
}

/** The environment that gives git the credentials, and the function that removes what it wrote. */
export interface GitAuth {
  env: Record<string, string>;
  /** Removes the temporary key file, if any. Idempotent; never throws. */
  cleanup(): Promise<void>;
}

/**
 * Turns credentials into environment for runGit, never into argv or the URL (argv is visible in
 * `ps`): a token becomes an `http.<origin>/.extraHeader` set through GIT_CONFIG_COUNT/KEY/VALUE
 * (scoped to the repository's origin, so a redirect elsewhere does not receive it) and is
 * registered with redact(); an SSH key is written to a fresh 0700 temporary folder with mode 0600
 * and named in GIT_SSH_COMMAND. Call cleanup() when done. Throws USAGE when a token is given for
 * an address that is not http(s).
 */
export async function gitAuth(repoUrl: string, credentials: GitCredentials = {}): Promise<GitAuth> {
  const env: Record<string, string> = {};
  if (credentials.httpsToken !== undefined && credentials.httpsToken !== '') {
    Object.assign(env, tokenEnv(repoUrl, credentials.httpsToken));
  }
  if (credentials.sshKey === undefined || credentials.sshKey === '') return { env, cleanup: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'wandol-ssh-'));
  const keyFile = join(dir, 'id');
  // A key without its final newline is refused by OpenSSH ("invalid format").
  const key = credentials.sshKey.endsWith('\n') ? credentials.sshKey : `${credentials.sshKey}\n`;
  await writeFile(keyFile, key, { mode: 0o600 });
  env.GIT_SSH_COMMAND = sshCommand(keyFile);
  return { env, cleanup: () => rm(dir, { recursive: true, force: true }).catch(() => undefined) };
}

/** GIT_CONFIG_* variables carrying `Authorization: Basic base64(x-access-token:<token>)`. */
function tokenEnv(repoUrl: string, token: string): Record<string, string> {
  const origin = httpOrigin(repoUrl);
  if (origin === undefined) {
    throw new WandolError(
      'USAGE',
      'an HTTPS token was given but the repository address is not http(s): give an https:// URL, or an SSH key',
    );
  }
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  registerSecret(token);
  registerSecret(basic);
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${origin}/.extraHeader`,
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

/** `https://host:port` of an http(s) address, undefined for anything else. */
function httpOrigin(repoUrl: string): string | undefined {
  try {
    const url = new URL(repoUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ssh command line for git (a shell parses it): our own key file only, single-quoted; new
 * hosts are accepted once and then pinned (accept-new), and ssh never prompts.
 */
export function sshCommand(keyFile: string): string {
  const quoted = `'${keyFile.replace(/'/g, `'\\''`)}'`;
  const options = [
    'IdentitiesOnly=yes',
    'StrictHostKeyChecking=accept-new',
    'BatchMode=yes',
    'ConnectTimeout=30',
  ];
  return ['ssh', '-i', quoted, ...options.flatMap((o) => ['-o', o])].join(' ');
}
