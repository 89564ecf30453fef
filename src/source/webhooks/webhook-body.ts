import { WandolError } from '../../core/errors.js';

/** Largest webhook body accepted (1 MiB); GitHub caps its payloads at 25 MB but pushes stay far below. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

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
