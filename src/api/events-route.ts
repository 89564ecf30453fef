import type { ApiRoute, RequestContext } from './route-table.js';
import { intQuery } from './request-params.js';
import { startStream } from './stream-write.js';
import type { EventRecord } from './wire.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/**
 * `GET /api/v1/events?app=&limit=`: newest first as JSON; with `Accept: text/event-stream`, server-sent
 * events instead: the recent ones oldest first, then live ones, and a keepalive comment every
 * `keepaliveMs`, until the client disconnects or the server closes.
 */
export function eventsRoute(keepaliveMs = 15_000): ApiRoute {
  return {
    method: 'GET',
    pattern: '/api/v1/events',
    handler: async (ctx) => {
      const app = ctx.query.get('app') || undefined;
      const limit = intQuery(ctx.query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
      const opts = app === undefined ? { limit } : { app, limit };
      if (!(ctx.req.headers.accept ?? '').includes('text/event-stream')) {
        return { status: 200, body: await ctx.service.events(opts) };
      }
      await streamEvents(ctx, opts, keepaliveMs);
      return undefined;
    },
  };
}

/** One SSE message; the type is kept to one line. Pure. */
export function sseMessage(event: EventRecord): string {
  const type = event.type.replace(/[\r\n]/g, ' ');
  return `id: ${event.id}\nevent: ${type}\ndata: ${JSON.stringify(event)}\n\n`;
}

async function streamEvents(
  ctx: RequestContext,
  opts: { app?: string; limit: number },
  keepaliveMs: number,
): Promise<void> {
  const { res, service } = ctx;
  const write = (event: EventRecord): void => {
    if ((opts.app === undefined || event.app === opts.app) && !res.writableEnded)
      res.write(sseMessage(event));
  };
  // Subscribe before reading the recent ones so that nothing falls between the two; events that
  // arrive meanwhile wait in `early` and are deduplicated against the replay by id.
  const early: EventRecord[] = [];
  let live = false;
  const unsubscribe = service.subscribe((event) => (live ? write(event) : early.push(event)));
  const keepalive = setInterval(() => live && res.write(': keepalive\n\n'), keepaliveMs);
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearInterval(keepalive);
    unsubscribe();
    untrack();
    res.off('close', end);
    res.end();
  };
  const untrack = ctx.track(end);
  res.on('close', end);
  let recent: EventRecord[];
  try {
    recent = await service.events(opts);
  } catch (err) {
    ended = true;
    clearInterval(keepalive);
    unsubscribe();
    untrack();
    res.off('close', end);
    throw err; // no byte was written yet: the usual error answer follows
  }
  if (ended) return;
  startStream(res, 'text/event-stream; charset=utf-8');
  const replayed = new Set<number>();
  for (const event of [...recent].reverse()) {
    replayed.add(event.id);
    write(event);
  }
  for (const event of early) if (!replayed.has(event.id)) write(event);
  live = true;
}
