import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger.js';
import type { AgentService } from './agent-service.js';

/** What a handler gets for one request. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Decoded `:param` segments of the route pattern. */
  params: Record<string, string>;
  query: URLSearchParams;
  service: AgentService;
  logger: Logger;
  /**
   * Registers a long-lived answer (log follow, SSE) to be ended when the server closes; returns the
   * function that unregisters it once the answer ended by itself.
   */
  track(end: () => void): () => void;
}

/** A JSON answer, or undefined when the handler wrote the response itself (streams, text). */
export type Reply = { status: number; body?: unknown } | undefined;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One row of the route table. */
export interface ApiRoute {
  method: HttpMethod;
  /** Path with `:param` segments, e.g. `/api/v1/apps/:name`. */
  pattern: string;
  /** true: no bearer token needed (health check, dashboard page, signed webhooks). */
  public?: boolean;
  /**
   * Only the bearer token may call it, never the dashboard cookie (a session may not mint logins
   * or end them all): the hint is the 403's message.
   */
  tokenOnly?: string;
  handler(ctx: RequestContext): Promise<Reply>;
}

/** The result of matching a request against the table. */
export type RouteMatch =
  | { kind: 'found'; route: ApiRoute; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'not-found' };

/**
 * Builds a matcher over `routes` (first matching row wins). Segments are compared exactly; a
 * `:param` segment matches one non-empty segment and is URI-decoded (a bad escape does not match).
 */
export function routeMatcher(routes: readonly ApiRoute[]): (method: string, path: string) => RouteMatch {
  const compiled = routes.map((route) => ({ route, parts: route.pattern.split('/') }));
  return (method, path) => {
    const segments = path.split('/');
    const allowed: HttpMethod[] = [];
    for (const { route, parts } of compiled) {
      const params = matchParts(parts, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  };
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | undefined {
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    const segment = segments[i] ?? '';
    if (!part.startsWith(':')) {
      if (part !== segment) return undefined;
      continue;
    }
    if (segment === '') return undefined;
    try {
      params[part.slice(1)] = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
  }
  return params;
}
