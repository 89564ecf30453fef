import { createHash, randomBytes } from 'node:crypto';
import type { SessionCheck } from '../api/auth.js';
import type { LoginCode } from '../api/wire.js';
import { systemClock, type Clock } from '../core/clock.js';

/** How long a login code may be used (once). */
export const LOGIN_CODE_TTL_MS = 60_000;
/** How long a dashboard session lasts (the cookie's Max-Age). */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Bounds on what is kept: the oldest entries give way beyond them. */
const MAX_CODES = 100;
export const MAX_SESSIONS = 1000;

/**
 * Where open sessions are kept, by the digest of their cookie value: in memory by default, in
 * SQLite in the agent (store/session-records.ts) so that a restart logs nobody out. Synchronous.
 */
export interface SessionRecords {
  /** When the session expires (ms since the epoch), or undefined when there is none. */
  get(digest: string): number | undefined;
  /** Adds or replaces a session; beyond the store's bound the oldest give way. */
  put(digest: string, expires: number): void;
  delete(digest: string): void;
  /** Drops the sessions expired at `now`. */
  prune(now: number): void;
  /** Drops every session; returns how many there were. */
  clear(): number;
  count(): number;
}

/** Sessions in a Map, at most `max` (the oldest inserted give way). */
export function memorySessionRecords(max = MAX_SESSIONS): SessionRecords {
  const map = new Map<string, number>();
  return {
    get: (digest) => map.get(digest),
    put: (digest, expires) => remember(map, digest, expires, max),
    delete: (digest) => void map.delete(digest),
    prune: (now) => {
      for (const [key, expires] of map) if (expires <= now) map.delete(key);
    },
    clear: () => {
      const n = map.size;
      map.clear();
      return n;
    },
    count: () => map.size,
  };
}

/** Options of the session store (defaults: system clock, 60 s codes, 7-day sessions in memory). */
export interface SessionStoreOptions {
  clock?: Clock;
  codeTtlMs?: number;
  sessionTtlMs?: number;
  sessions?: SessionRecords;
}

/**
 * Dashboard logins: one-time login codes that a `wandol dashboard` link carries (in memory: they
 * live a minute), and the sessions they open (in `sessions`). Only sha256 digests of codes and
 * session values are kept, so neither a heap dump nor the database hands out a working cookie.
 * Synchronous.
 */
export class SessionStore implements SessionCheck {
  private readonly codes = new Map<string, number>();
  private readonly sessions: SessionRecords;
  private readonly clock: Clock;
  readonly codeTtlMs: number;
  readonly sessionTtlMs: number;

  constructor(opts: SessionStoreOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.codeTtlMs = opts.codeTtlMs ?? LOGIN_CODE_TTL_MS;
    this.sessionTtlMs = opts.sessionTtlMs ?? SESSION_TTL_MS;
    this.sessions = opts.sessions ?? memorySessionRecords();
  }

  /** A new random login code (32 bytes, base64url), valid once within codeTtlMs. */
  createCode(): LoginCode {
    this.prune();
    const code = randomBytes(32).toString('base64url');
    const expires = this.clock.now() + this.codeTtlMs;
    remember(this.codes, digest(code), expires, MAX_CODES);
    return { code, expiresAt: new Date(expires).toISOString() };
  }

  /**
   * Consumes `code` and opens a session: returns the session value for the cookie, or undefined
   * when the code is unknown, used or expired. A code never works twice, valid or not.
   */
  redeem(code: string): string | undefined {
    const key = digest(code);
    const expires = this.codes.get(key);
    this.codes.delete(key);
    if (expires === undefined || expires <= this.clock.now()) return undefined;
    this.prune();
    const value = randomBytes(32).toString('base64url');
    this.sessions.put(digest(value), this.clock.now() + this.sessionTtlMs);
    return value;
  }

  /** true while the session of this cookie value is open and unexpired. */
  isValid(value: string): boolean {
    const key = digest(value);
    const expires = this.sessions.get(key);
    if (expires === undefined) return false;
    if (expires > this.clock.now()) return true;
    this.sessions.delete(key);
    return false;
  }

  /** Ends the session of this cookie value (logout). Idempotent. */
  revoke(value: string): void {
    this.sessions.delete(digest(value));
  }

  /**
   * Logs every browser out: ends all sessions and unused login codes. Returns how many sessions
   * were open (expired ones included).
   */
  revokeAll(): number {
    this.codes.clear();
    return this.sessions.clear();
  }

  /** How many codes and sessions are held (for tests). */
  get size(): { codes: number; sessions: number } {
    return { codes: this.codes.size, sessions: this.sessions.count() };
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [key, expires] of this.codes) if (expires <= now) this.codes.delete(key);
    this.sessions.prune(now);
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** Adds an entry; beyond `max`, the oldest inserted one (Map order) is dropped. */
function remember(map: Map<string, number>, key: string, expires: number, max: number): void {
  map.set(key, expires);
  while (map.size > max) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}
