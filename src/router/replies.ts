import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** The router's own answers: short text bodies, so a person with curl sees what happened. */
export const REPLY_TEXT: Readonly<Record<number, string>> = {
  404: 'No route for this host\n',
  502: 'Bad gateway: the app did not answer\n',
  503: 'No instance of this app is available\n',
};

/**
 * Answers `res` with `status` and a short text body (`Retry-After: 1` on 503). When the response head was
 * already sent, the response is destroyed instead (the client sees a broken response). Never throws.
 */
export function replyText(res: ServerResponse, status: number): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const text = REPLY_TEXT[status] ?? `${STATUS_CODES[status] ?? 'Error'}\n`;
  const headers = [
    'content-type',
    'text/plain; charset=utf-8',
    'content-length',
    String(Buffer.byteLength(text)),
  ];
  if (status === 503) headers.push('retry-after', '1');
  try {
    res.writeHead(status, headers);
    res.end(text);
  } catch {
    res.destroy();
  }
}

/** Answers a raw socket (an Upgrade request) with `status` and a short text body, then closes it. Never throws. */
export function replySocket(socket: Duplex, status: number): void {
  if (socket.destroyed) return;
  const text = REPLY_TEXT[status] ?? `${STATUS_CODES[status] ?? 'Error'}\n`;
  const retry = status === 503 ? 'retry-after: 1\r\n' : '';
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nconnection: close\r\n${retry}` +
    `content-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n`;
  socket.end(head + text);
}
