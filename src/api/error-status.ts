import { WandolError, type ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ApiErrorBody } from './wire.js';

/** The one table from error code to HTTP status; codes not listed answer 500. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  USAGE: 400,
  INVALID_NAME: 400,
  INVALID_CONFIG: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  REVISION_NOT_FOUND: 404,
  CONFLICT: 409,
  PORT_IN_USE: 409,
  SOURCE_UNREACHABLE: 502,
  DATAPLANE_UNREACHABLE: 502,
  TIMEOUT: 504,
};

/**
 * A WandolError that asks for a specific HTTP status, for conditions of the HTTP layer itself that
 * have no code of their own (413 body too large, 405 method not allowed).
 */
export class HttpStatusError extends WandolError {
  readonly status: number;

  constructor(status: number, code: ErrorCode, message: string) {
    super(code, message);
    this.status = status;
  }
}

/** The HTTP status of an error code. Pure. */
export function httpStatusFor(code: string): number {
  return STATUS_BY_CODE[code as ErrorCode] ?? 500;
}

/**
 * Translates anything thrown by a handler into a status and an ApiErrorBody. A WandolError keeps its
 * code, message and details; anything else becomes 500 INTERNAL with a generic message, and the real
 * one goes to `logger` only (it may hold paths or internals the caller should not see).
 */
export function errorResponse(err: unknown, logger: Logger): { status: number; body: ApiErrorBody } {
  if (err instanceof WandolError) {
    const status = err instanceof HttpStatusError ? err.status : httpStatusFor(err.code);
    if (status >= 500) logger.error('Request failed', { err, details: err.details });
    return { status, body: { error: { code: err.code, message: err.message, details: [...err.details] } } };
  }
  logger.error('Unexpected error in request', {
    err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err),
  });
  return {
    status: 500,
    body: { error: { code: 'INTERNAL', message: 'internal error: see the agent log', details: [] } },
  };
}
