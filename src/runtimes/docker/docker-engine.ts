import Docker from 'dockerode';
import { WandolError } from '../../core/errors.js';

/** The engine's default socket when DOCKER_HOST is not set. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** A Docker client and where it connects (for messages). */
export interface DockerEngine {
  docker: Docker;
  /** `/var/run/docker.sock`, or DOCKER_HOST as given. */
  address: string;
}

/**
 * A dockerode client on `socketPath`, else on DOCKER_HOST (dockerode reads it: unix://, tcp://),
 * else on /var/run/docker.sock. Connects lazily: nothing is checked here.
 */
export function dockerEngine(opts: { socketPath?: string; env?: NodeJS.ProcessEnv } = {}): DockerEngine {
  if (opts.socketPath)
    return { docker: new Docker({ socketPath: opts.socketPath }), address: opts.socketPath };
  const host = (opts.env ?? process.env).DOCKER_HOST;
  if (host) return { docker: new Docker(), address: host };
  return { docker: new Docker({ socketPath: DEFAULT_DOCKER_SOCKET }), address: DEFAULT_DOCKER_SOCKET };
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT']);

/** True when `err` says the engine could not be reached at all (no socket, refused, no permission). */
export function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    UNREACHABLE.has(code) &&
    (err as { statusCode?: unknown }).statusCode === undefined
  );
}

/** The HTTP status of an engine answer carried by a dockerode error (404, 409...), if any. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The engine's own message of a dockerode error ("No such image: ..."), else the error's message. */
export function engineMessage(err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return err instanceof Error ? err.message : String(err);
}

/** The error for an engine that does not answer: what to do about it. */
export function unreachableError(address: string, cause?: unknown): WandolError {
  return new WandolError(
    'DATAPLANE_UNREACHABLE',
    `the Docker engine is not reachable at ${address}: start dockerd or set DOCKER_HOST`,
    { cause },
  );
}

/**
 * Runs one engine call, turning "cannot connect" into DATAPLANE_UNREACHABLE and any other
 * failure that is not already a WandolError into INTERNAL naming `what` and the engine's message.
 */
export async function engineCall<T>(address: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WandolError) throw err;
    if (isUnreachable(err)) throw unreachableError(address, err);
    throw new WandolError('INTERNAL', `Docker engine: ${what} failed: ${engineMessage(err)}`, { cause: err });
  }
}

/** Resolves undefined instead of throwing when the engine answers 404 (expected absence). */
export async function orUndefinedIfMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}
