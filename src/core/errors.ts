import { redact } from './redact.js';

/** Stable error codes: scripts and the API map on these, never on messages. */
export type ErrorCode =
  | 'USAGE'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_NAME'
  | 'INVALID_CONFIG'
  | 'SOURCE_UNREACHABLE'
  | 'REVISION_NOT_FOUND'
  | 'BUILD_FAILED'
  | 'NOT_READY'
  | 'CRASHED'
  | 'AGENT_UNREACHABLE'
  | 'DATAPLANE_UNREACHABLE'
  | 'PORT_IN_USE'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'SUPERSEDED'
  | 'INTERNAL';

/**
 * The one error class of wandol: a stable `code`, a message that says what to do next, optional
 * structured `details` (for example every bad key of a wandol.yaml) and the cause attached.
 * Messages are redacted of credentials when the error is built.
 */
export class WandolError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, opts: { cause?: unknown; details?: readonly string[] } = {}) {
    super(redact(message), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'WandolError';
    this.code = code;
    this.details = (opts.details ?? []).map(redact);
  }
}

/** Returns `err` as a WandolError, wrapping anything else as INTERNAL with its message redacted. */
export function asWandolError(err: unknown): WandolError {
  if (err instanceof WandolError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new WandolError('INTERNAL', message, { cause: err });
}

/** True when `err` is a WandolError with the given code. */
export function hasCode(err: unknown, code: ErrorCode): boolean {
  return err instanceof WandolError && err.code === code;
}
