import type { ServerResponse } from 'node:http';

/**
 * Writes `data` to a streaming answer and resolves once it may write more: at once, or after
 * 'drain', or when the client went away (then the data is dropped). Never rejects.
 */
export function writeOrWait(res: ServerResponse, data: Buffer | string): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  if (res.write(data)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Starts a streaming answer: headers go out now, and the connection closes when the answer ends. */
export function startStream(res: ServerResponse, contentType: string): void {
  res.writeHead(200, {
    'content-type': contentType,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  res.flushHeaders();
}
