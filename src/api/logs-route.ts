import { sleep } from '../core/clock.js';
import { followFile, readTail, releaseLineFilter, type LineFilter } from '../platform/log-tail.js';
import { appParam, flagQuery, intQuery } from './request-params.js';
import type { ApiRoute, RequestContext } from './route-table.js';
import { startStream, writeOrWait } from './stream-write.js';

const DEFAULT_TAIL = 100;
const MAX_TAIL = 100_000;
/** How often a follow asks the agent again for a log file that does not exist yet. */
const WAIT_FOR_FILE_MS = 1000;

/**
 * `GET /api/v1/apps/:name/logs?tail=N&follow=1&build=1&release=R`: the last N lines as text/plain
 * (read across the app log's rotated files); with follow, then everything appended (across
 * rotations) until the client disconnects or the server closes. `release=R` keeps the lines of
 * release R's instances only; with `build=1` it picks that release's build log instead.
 */
export function logsRoute(pollMs = 250): ApiRoute {
  return {
    method: 'GET',
    pattern: '/api/v1/apps/:name/logs',
    handler: async (ctx) => {
      const name = appParam(ctx.params);
      const tail = intQuery(ctx.query, 'tail', DEFAULT_TAIL, 0, MAX_TAIL);
      const release = intQuery(ctx.query, 'release', undefined, 1, Number.MAX_SAFE_INTEGER);
      const opts = { build: flagQuery(ctx.query, 'build'), ...(release === undefined ? {} : { release }) };
      const path = await ctx.service.logFile(name, opts); // NOT_FOUND for an unknown app, before any byte
      const filter = release === undefined || opts.build ? undefined : releaseLineFilter(name, release);
      if (!flagQuery(ctx.query, 'follow')) {
        const found = path === undefined ? undefined : await readTail(path, tail, filter);
        ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        ctx.res.end(found?.data ?? '');
        return undefined;
      }
      await follow(ctx, path, { tail, filter }, () => ctx.service.logFile(name, opts), pollMs);
      return undefined;
    },
  };
}

async function follow(
  ctx: RequestContext,
  first: string | undefined,
  { tail, filter }: { tail: number; filter: LineFilter | undefined },
  lookUp: () => Promise<string | undefined>,
  pollMs: number,
): Promise<void> {
  const { res } = ctx;
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  const untrack = ctx.track(stop);
  res.on('close', stop);
  startStream(res, 'text/plain; charset=utf-8');
  try {
    let path = first;
    while (path === undefined && !abort.signal.aborted) {
      await sleep(WAIT_FOR_FILE_MS, abort.signal).catch(() => undefined);
      path = await lookUp().catch(() => undefined);
    }
    if (path === undefined) return;
    const found = await readTail(path, tail, filter);
    if (found) await writeOrWait(res, found.data);
    const write = (data: Buffer): Promise<void> => writeOrWait(res, data);
    await followFile(path, found?.end ?? 0, write, abort.signal, pollMs, { ino: found?.ino, filter });
  } finally {
    untrack();
    res.off('close', stop);
    res.end();
  }
}
