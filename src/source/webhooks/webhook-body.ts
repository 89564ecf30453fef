import type { IncomingMessage } from 'node:http';
import { HttpStatusError } from '../../api/error-status.js';
import { WandolError } from '../../core/errors.js';

/** Largest webhook body accepted (1 MiB); GitHub caps its payloads at 25 MB but pushes stay far below. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

/**
 * Reads the request body as raw bytes, exactly as signed. Throws HttpStatusError 413 as soon as the
 * declared length or the bytes received exceed `limit`; the rest of the upload is drained, not kept.
 */
export async function readRawBody(req: IncomingMessage, limit = MAX_WEBHOOK_BYTES): Promise<Buffer> {
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
 * Decodes a webhook body: JSON, or GitHub's and Gitea's form encoding (`payload=<json>`) when the
 * content type says so. Throws WandolError USAGE (→ 400) when it is empty or not valid JSON. Pure.
 */
export function decodePayload(raw: Buffer, contentType: string | undefined): unknown {
  let textBody = raw.toString('utf8');
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) {
    textBody = new URLSearchParams(textBody).get('payload') ?? '';
  }
  if (textBody.trim() === '') {
    throw new WandolError('USAGE', 'the webhook body is empty: send the JSON payload of the event');
  }
  try {
    return JSON.parse(textBody) as unknown;
  } catch (err) {
    // The parser's message quotes the payload: keep it out of the answer, attach it as the cause only.
    throw new WandolError('USAGE', 'the webhook body is not valid JSON: send the JSON payload of the event', {
      cause: err,
    });
  }
}

function tooLarge(req: IncomingMessage, limit: number): HttpStatusError {
  req.resume(); // discard the rest so that the answer can still be written
  return new HttpStatusError(413, 'USAGE', `the webhook body exceeds ${limit} bytes`);
}
