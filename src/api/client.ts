import { WandolError, type ErrorCode } from '../core/errors.js';
import { parseSse } from './sse-parse.js';
import type {
  AddAppRequest,
  ApiErrorBody,
  AppStatus,
  AppSummary,
  DeployRequest,
  DeployResponse,
  EventRecord,
  LoginCode,
  MetricSeries,
  ReleaseRecord,
  RollbackRequest,
  SecretList,
} from './wire.js';

/** Where the client sends requests and how it authenticates. */
export interface ApiClientOptions {
  /** e.g. `http://127.0.0.1:7070` (a trailing slash is fine). */
  baseUrl: string;
  token: string;
  /** Named in the AGENT_UNREACHABLE message: where the address came from. */
  agentInfoPath?: string;
  /** Deadline of a non-streaming request (default 60 s). */
  timeoutMs?: number;
}

/** Options of `logs`: the query of `GET /api/v1/apps/:name/logs`. */
export interface LogsOptions {
  tail?: number;
  follow?: boolean;
  build?: boolean;
  release?: number;
  /** Ends a follow (the iteration then simply stops). */
  signal?: AbortSignal;
}

/** Every code the API may answer; anything else from a server becomes INTERNAL. */
const KNOWN_CODES: Record<ErrorCode, true> = {
  USAGE: true,
  UNAUTHORIZED: true,
  NOT_FOUND: true,
  CONFLICT: true,
  INVALID_NAME: true,
  INVALID_CONFIG: true,
  SOURCE_UNREACHABLE: true,
  REVISION_NOT_FOUND: true,
  BUILD_FAILED: true,
  NOT_READY: true,
  CRASHED: true,
  AGENT_UNREACHABLE: true,
  DATAPLANE_UNREACHABLE: true,
  PORT_IN_USE: true,
  TIMEOUT: true,
  CANCELLED: true,
  SUPERSEDED: true,
  INTERNAL: true,
};

/**
 * The HTTP API client the CLI uses: one method per route. Every method throws WandolError: the
 * server's code, message and details for an error answer, AGENT_UNREACHABLE when nothing answers,
 * TIMEOUT past the deadline.
 */
export class ApiClient {
  private readonly baseUrl: string;

  constructor(private readonly opts: ApiClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
  }

  /** `GET /healthz`: resolves when the agent answers. */
  async healthz(): Promise<{ status: string }> {
    return this.json('GET', '/healthz');
  }
  async listApps(): Promise<AppSummary[]> {
    return this.json('GET', '/api/v1/apps');
  }
  async addApp(req: AddAppRequest): Promise<AppSummary> {
    return this.json('POST', '/api/v1/apps', req);
  }
  async removeApp(name: string): Promise<void> {
    await this.send('DELETE', `/api/v1/apps/${enc(name)}`);
  }
  async status(name: string): Promise<AppStatus> {
    return this.json('GET', `/api/v1/apps/${enc(name)}`);
  }
  async statuses(): Promise<AppStatus[]> {
    return this.json('GET', '/api/v1/status');
  }
  async deploy(name: string, req: DeployRequest = {}): Promise<DeployResponse> {
    return this.json('POST', `/api/v1/apps/${enc(name)}/deploy`, req);
  }
  /** Releases of the app, newest first. */
  async releases(name: string): Promise<ReleaseRecord[]> {
    return this.json('GET', `/api/v1/apps/${enc(name)}/releases`);
  }
  async release(name: string, id: number): Promise<ReleaseRecord> {
    return this.json('GET', `/api/v1/apps/${enc(name)}/releases/${id}`);
  }
  /** Cancels the app's queued and running deploys (builds are stopped; nothing live is touched). */
  async cancel(name: string): Promise<{ cancelled: number[] }> {
    return this.json('POST', `/api/v1/apps/${enc(name)}/cancel`);
  }
  /** Puts a previous release back (default: the one before the live one). */
  async rollback(name: string, req: RollbackRequest = {}): Promise<DeployResponse> {
    return this.json('POST', `/api/v1/apps/${enc(name)}/rollback`, req);
  }
  /** Sets the app's replicas (refused while autoscaling is on). */
  async scale(name: string, replicas: number): Promise<AppStatus> {
    return this.json('PUT', `/api/v1/apps/${enc(name)}/replicas`, { replicas });
  }
  /** Stores a secret of the app (encrypted at rest; never returned). */
  async setSecret(name: string, key: string, value: string): Promise<void> {
    await this.send('PUT', `/api/v1/apps/${enc(name)}/secrets/${enc(key)}`, { value });
  }
  /** Names of the app's secrets (never their values). */
  async listSecrets(name: string): Promise<SecretList> {
    return this.json('GET', `/api/v1/apps/${enc(name)}/secrets`);
  }
  async removeSecret(name: string, key: string): Promise<void> {
    await this.send('DELETE', `/api/v1/apps/${enc(name)}/secrets/${enc(key)}`);
  }
  /** Events, newest first. */
  async events(opts: { app?: string; limit?: number } = {}): Promise<EventRecord[]> {
    return this.json('GET', `/api/v1/events${query({ app: opts.app, limit: opts.limit })}`);
  }
  /** A one-time dashboard login code (needs the API token; valid once, for 60 s). */
  async createLoginCode(): Promise<LoginCode> {
    return this.json('POST', '/api/v1/login-codes');
  }
  /** Logs every dashboard browser out; returns how many sessions were open. */
  async logoutAll(): Promise<{ revoked: number }> {
    return this.json('DELETE', '/api/v1/sessions');
  }
  /** The dashboard link that logs a browser in with `code`. Pure. */
  loginUrl(code: LoginCode): string {
    return `${this.baseUrl}/login?code=${encodeURIComponent(code.code)}`;
  }
  /** The app's figures over time since `since` (ms since the epoch; default: the last hour). */
  async metrics(name: string, since?: number): Promise<MetricSeries> {
    return this.json('GET', `/api/v1/apps/${enc(name)}/metrics${query({ since })}`);
  }
  /** Asks the agent to stop (with `dataplane`, the router and instances too); resolves on 202. */
  async shutdown(opts: { dataplane: boolean }): Promise<void> {
    await this.send('POST', '/api/v1/shutdown', opts);
  }

  /**
   * The app's log as text chunks (not split by line). Errors of the request (unknown app…) reject
   * this promise; a follow lasts until `signal` aborts or the agent ends the stream.
   */
  async logs(name: string, opts: LogsOptions = {}): Promise<AsyncIterable<string>> {
    const q = query({
      tail: opts.tail,
      follow: opts.follow ? 1 : undefined,
      build: opts.build ? 1 : undefined,
      release: opts.release,
    });
    const res = await this.send('GET', `/api/v1/apps/${enc(name)}/logs${q}`, undefined, {
      signal: opts.signal,
    });
    return this.text(res, opts.signal);
  }

  /** Live events (after the recent ones, oldest first) as server-sent events, until `signal` aborts. */
  async eventStream(
    opts: { app?: string; limit?: number; signal?: AbortSignal } = {},
  ): Promise<AsyncIterable<EventRecord>> {
    const path = `/api/v1/events${query({ app: opts.app, limit: opts.limit })}`;
    const res = await this.send('GET', path, undefined, { signal: opts.signal, accept: 'text/event-stream' });
    return parseSse(this.text(res, opts.signal));
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    return (await res.json()) as T;
  }

  private async send(
    method: string,
    path: string,
    body?: unknown,
    stream?: { signal?: AbortSignal | undefined; accept?: string },
  ): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.opts.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (stream?.accept) headers.accept = stream.accept;
    // Streams have no deadline of their own; plain requests do.
    const signal = stream ? stream.signal : AbortSignal.timeout(this.opts.timeoutMs ?? 60_000);
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ?? null,
      });
    } catch (err) {
      throw this.networkError(err);
    }
    if (!res.ok) throw await errorFrom(res);
    return res;
  }

  private async *text(res: Response, signal?: AbortSignal): AsyncIterable<string> {
    if (!res.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        yield decoder.decode(chunk, { stream: true });
      }
    } catch (err) {
      if (signal?.aborted) return;
      throw this.networkError(err);
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }

  private networkError(err: unknown): WandolError {
    if (err instanceof WandolError) return err;
    const name = (err as Error | undefined)?.name;
    if (name === 'TimeoutError') {
      return new WandolError('TIMEOUT', `the agent at ${this.baseUrl} did not answer in time`, {
        cause: err,
      });
    }
    if (name === 'AbortError') return new WandolError('CANCELLED', 'request cancelled', { cause: err });
    const where = this.opts.agentInfoPath ? ` (looked in ${this.opts.agentInfoPath})` : '';
    return new WandolError(
      'AGENT_UNREACHABLE',
      `no agent answers at ${this.baseUrl}: start it with \`wandol up\`${where}`,
      { cause: err },
    );
  }
}

async function errorFrom(res: Response): Promise<WandolError> {
  const text = await res.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as ApiErrorBody;
    const code = error.code in KNOWN_CODES ? (error.code as ErrorCode) : 'INTERNAL';
    return new WandolError(code, String(error.message), { details: (error.details ?? []).map(String) });
  } catch {
    const code: ErrorCode =
      res.status === 401 ? 'UNAUTHORIZED' : res.status === 404 ? 'NOT_FOUND' : 'INTERNAL';
    return new WandolError(code, `the agent answered ${res.status} ${res.statusText}`.trim());
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
