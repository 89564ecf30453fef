import type { IncomingMessage, ServerResponse } from 'node:http';
import { asWandolError, WandolError, type ErrorCode } from '../core/errors.js';
import type { DataplaneErrorBody } from './control-protocol.js';

/** Largest request body accepted on the control socket. */
const MAX_BODY_BYTES = 1024 * 1024;

const STATUS: Partial<Record<ErrorCode, number>> = {
  USAGE: 400,
  INVALID_NAME: 400,
  INVALID_CONFIG: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PORT_IN_USE: 409,
};

/** The HTTP status of an error code on the control socket (500 for anything unexpected). Pure. */
export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

/** Reads and parses a JSON body. Throws WandolError USAGE when it is too large or not JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new WandolError('USAGE', 'request body too large: send at most 1 MiB');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch (err) {
    throw new WandolError('USAGE', 'request body is not valid JSON: send a JSON document', { cause: err });
  }
}

/** Sends `body` as JSON with `status`, or an empty answer when `body` is undefined. */
export function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends `err` as `{ error: { code, message, details } }` with the status of its code. */
export function sendError(res: ServerResponse, err: unknown): void {
  const e = asWandolError(err);
  const body: DataplaneErrorBody = { error: { code: e.code, message: e.message, details: [...e.details] } };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, statusOf(e.code), body);
}
