import { Agent, request } from 'node:http';
import { sleep } from '../core/clock.js';
import { WandolError, type ErrorCode } from '../core/errors.js';
import type { RouteSpec, RouteState, RouterControl, TrafficSnapshot } from '../router/route.js';
import type { Instance, InstanceSpec } from '../runtimes/runtime.js';
import type { DataplaneErrorBody, DataplaneHealth } from './control-protocol.js';

/** Connection errors that mean nothing listens on the socket. */
const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED']);

interface Answer {
  status: number;
  body: unknown;
}

/**
 * The agent's side of the data-plane socket: the router's control port (RouterControl) plus the
 * supervisor's instances. Every method throws WandolError with the data plane's code, or
 * DATAPLANE_UNREACHABLE when nothing answers on the socket; expected absence is undefined.
 */
export class DataplaneClient implements RouterControl {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });

  constructor(readonly socketPath: string) {}

  /** Who answers on the socket, or undefined when nothing listens there. Throws on other errors. */
  async health(timeoutMs = 3_000): Promise<DataplaneHealth | undefined> {
    try {
      return (await this.call('GET', '/v1/health', undefined, timeoutMs)).body as DataplaneHealth;
    } catch (err) {
      if (err instanceof WandolError && err.code === 'DATAPLANE_UNREACHABLE' && isNotListening(err.cause)) {
        return undefined;
      }
      throw err;
    }
  }

  /** Creates or replaces the app's route (atomic). Throws PORT_IN_USE if its port is taken. */
  async setRoute(spec: RouteSpec): Promise<void> {
    await this.call('PUT', `/v1/routes/${encodeURIComponent(spec.app)}`, spec);
  }

  /** Removes the app's route. Idempotent. */
  async removeRoute(app: string): Promise<void> {
    await this.call('DELETE', `/v1/routes/${encodeURIComponent(app)}`);
  }

  /** Every route with its active and draining targets. */
  async routes(): Promise<RouteState[]> {
    return (await this.call('GET', '/v1/routes')).body as RouteState[];
  }

  /** The app's traffic counters, or undefined when the router has no route for it. */
  async traffic(app: string): Promise<TrafficSnapshot | undefined> {
    return this.orUndefined(() => this.call('GET', `/v1/traffic/${encodeURIComponent(app)}`));
  }

  /** Starts an instance, or returns the one with this id. Idempotent on spec.id. */
  async startInstance(spec: InstanceSpec): Promise<Instance> {
    return (await this.call('POST', '/v1/instances', spec)).body as Instance;
  }

  /** The supervisor's instances (exited ones until forgotten), optionally of one app. */
  async listInstances(app?: string): Promise<Instance[]> {
    const query = app === undefined ? '' : `?app=${encodeURIComponent(app)}`;
    return (await this.call('GET', `/v1/instances${query}`)).body as Instance[];
  }

  /** The instance, or undefined when the supervisor does not know it. */
  async getInstance(id: string): Promise<Instance | undefined> {
    return this.orUndefined(() => this.call('GET', `/v1/instances/${encodeURIComponent(id)}`));
  }

  /** Stops the instance; resolves once its process group is gone. Idempotent. */
  async stopInstance(id: string): Promise<void> {
    await this.call('DELETE', `/v1/instances/${encodeURIComponent(id)}`);
  }

  /** Drops an exited instance's record. Idempotent; CONFLICT while it runs. */
  async forgetInstance(id: string): Promise<void> {
    await this.call('POST', `/v1/instances/${encodeURIComponent(id)}/forget`);
  }

  /**
   * Asks the data plane to close the router, stop every instance and exit. Resolves once it agreed,
   * or with `waitMs`, once its socket is gone (everything is down); throws TIMEOUT after `waitMs`.
   */
  async shutdown(waitMs = 0): Promise<void> {
    await this.call('POST', '/v1/shutdown');
    const deadline = Date.now() + waitMs;
    while (waitMs > 0 && (await this.health().catch(() => 'closing')) !== undefined) {
      if (Date.now() > deadline) {
        throw new WandolError(
          'TIMEOUT',
          `the data plane is still stopping after ${waitMs} ms: see logs/dataplane.log`,
        );
      }
      await sleep(100);
    }
  }

  /** Closes the idle keep-alive connections. The client stays usable. */
  close(): void {
    this.agent.destroy();
  }

  private async orUndefined<T>(call: () => Promise<Answer>): Promise<T | undefined> {
    try {
      return (await call()).body as T;
    } catch (err) {
      if (err instanceof WandolError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  private async call(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<Answer> {
    let answer: Answer;
    try {
      answer = await this.send(method, path, body, timeoutMs);
    } catch (err) {
      // A kept-alive socket may have been closed by the server just as we reused it: retry once
      // (every call here is idempotent).
      if (!(err as { reusedSocket?: boolean }).reusedSocket) throw this.unreachable(err);
      try {
        answer = await this.send(method, path, body, timeoutMs);
      } catch (again) {
        throw this.unreachable(again);
      }
    }
    if (answer.status >= 400) throw toError(answer);
    return answer;
  }

  private send(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = payload === undefined ? {} : { 'content-type': 'application/json' };
    return new Promise((resolve, reject) => {
      const req = request(
        { socketPath: this.socketPath, path, method, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 500, body: parseBody(chunks) }));
        },
      );
      req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      if (timeoutMs !== undefined) {
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      }
      req.end(payload);
    });
  }

  private unreachable(err: unknown): WandolError {
    const reason = err instanceof Error ? err.message : String(err);
    return new WandolError(
      'DATAPLANE_UNREACHABLE',
      `cannot reach the data plane on ${this.socketPath} (${reason}): is the data plane running? \`wandol up\` starts it`,
      { cause: err },
    );
  }
}

function parseBody(chunks: Buffer[]): unknown {
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toError(answer: Answer): WandolError {
  const error = (answer.body as Partial<DataplaneErrorBody> | undefined)?.error;
  const code = (error?.code ?? 'INTERNAL') as ErrorCode;
  const message =
    error?.message ?? `the data plane answered ${answer.status}: see its log (logs/dataplane.log)`;
  return new WandolError(code, message, { details: error?.details ?? [] });
}

function isNotListening(err: unknown): boolean {
  return NOT_LISTENING.has((err as NodeJS.ErrnoException | undefined)?.code ?? '');
}
