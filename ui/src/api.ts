/** The dashboard's calls to the agent's API: same origin, authorised by the session cookie. */

/** The API answered 401: the browser has no (valid) session. */
export class Unauthorized extends Error {
  constructor() {
    super('not logged in');
    this.name = 'Unauthorized';
  }
}

/** An error answer of the API, with its code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Sent on every non-GET request: the server requires it beside the cookie (CSRF defence). */
const WRITE_HEADERS = { 'content-type': 'application/json', 'x-wandol-request': '1' };

async function check(res: Response): Promise<Response> {
  if (res.status === 401) throw new Unauthorized();
  if (res.ok) return res;
  const text = await res.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string } };
    throw new ApiError(res.status, error.code, error.message);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(res.status, 'INTERNAL', `the agent answered ${res.status}`);
  }
}

/** GET a JSON answer. Throws Unauthorized on 401, ApiError on other error answers. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
    signal: signal ?? null,
  });
  return (await (await check(res)).json()) as T;
}

/** POST `body` as JSON; the JSON answer (undefined for 204). Throws like getJson. */
export async function postJson<T>(path: string, body: unknown = {}): Promise<T | undefined> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: WRITE_HEADERS,
    body: JSON.stringify(body),
  });
  await check(res);
  return res.status === 204 ? undefined : ((await res.json()) as T);
}

/**
 * Streams a text answer chunk by chunk (log follows, server-sent events) until it ends or `signal`
 * aborts (then it simply stops). `onOpen` runs once the answer's headers arrived. Throws like
 * getJson before the first chunk.
 */
export async function* streamText(
  path: string,
  signal: AbortSignal,
  opts: { accept?: string; onOpen?: () => void } = {},
): AsyncGenerator<string> {
  const headers = { accept: opts.accept ?? 'text/plain' };
  const res = await check(await fetch(path, { credentials: 'same-origin', headers, signal }));
  opts.onOpen?.();
  if (!res.body) return;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield decoder.decode(value, { stream: true });
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  } finally {
    reader.releaseLock();
  }
}

/** The path of an app's API resource. */
export function appPath(name: string, rest = ''): string {
  return `/api/v1/apps/${encodeURIComponent(name)}${rest}`;
}
