import { Agent, request } from 'node:http';

/** What a load run saw. */
export interface LoadResult {
  requests: number;
  ok: number;
  failed: number;
  /** The first few failures, for the assertion message. */
  failures: string[];
  latenciesMs: number[];
  /** Distinct response bodies seen (the versions that served), in order of first appearance. */
  bodies: string[];
}

/** A running load: `stop()` ends it and resolves with the result. */
export interface Load {
  stop(): Promise<LoadResult>;
  /** The result so far. */
  readonly result: LoadResult;
}

/**
 * Sends GET requests to `url` from `concurrency` keep-alive loops on loopback until stopped, at most
 * `maxRequests` in all (bounded traffic). A non-2xx status or a connection error is a failure.
 */
export function startLoad(
  url: string,
  opts: { concurrency?: number; maxRequests?: number; pauseMs?: number } = {},
): Load {
  const { concurrency = 4, maxRequests = 20_000, pauseMs = 2 } = opts;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const result: LoadResult = { requests: 0, ok: 0, failed: 0, failures: [], latenciesMs: [], bodies: [] };
  let running = true;
  const loop = async (): Promise<void> => {
    while (running && result.requests < maxRequests) {
      result.requests++;
      const started = performance.now();
      const outcome = await get(url, agent);
      result.latenciesMs.push(performance.now() - started);
      if (outcome.ok) {
        result.ok++;
        if (!result.bodies.includes(outcome.body)) result.bodies.push(outcome.body);
      } else {
        result.failed++;
        if (result.failures.length < 10) result.failures.push(outcome.body);
      }
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    result,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return result;
    },
  };
}

/** One GET: ok with the body on a 2xx status, else not ok with the status or error. */
export function get(
  url: string,
  agent?: Agent,
  timeoutMs = 30_000,
): Promise<{ ok: boolean; status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve({
          ok: status >= 200 && status < 300,
          status,
          body: status < 300 ? body : `${status} ${body}`,
        });
      });
      res.on('error', (err) => resolve({ ok: false, status: 0, body: `response error ${err.message}` }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ ok: false, status: 0, body: `request error ${err.message}` }));
    req.end();
  });
}

/** The q-quantile (0–1) of `values`, in their unit. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}
