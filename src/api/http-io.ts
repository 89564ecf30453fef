import type { IncomingMessage, ServerResponse } from 'node:http';
import { WandolError } from '../core/errors.js';
import { HttpStatusError } from './error-status.js';

/** Largest JSON request body accepted. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the request body as raw bytes. Throws HttpStatusError 413 as soon as the declared length or
 * the bytes received exceed `limit`; the rest of the upload is drained, not kept.
 */
export async function readRawBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(req, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(req, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Reads and parses the request's JSON body. An empty body is `undefined`. Throws 413 beyond
 * `limit` bytes and USAGE (400) on bad JSON.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const text = (await readRawBody(req, limit)).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new WandolError('USAGE', `the request body is not valid JSON: ${(err as Error).message}`);
  }
}

function tooLarge(req: IncomingMessage, limit: number): HttpStatusError {
  req.resume(); // discard the rest so the answer can still be written
  return new HttpStatusError(413, 'USAGE', `the request body exceeds ${limit} bytes`);
}

/** Writes `body` as a JSON answer (no body for 204). */
export function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** Writes a complete text answer of the given content type. */
export function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain'): void {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
