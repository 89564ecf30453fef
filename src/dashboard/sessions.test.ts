import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memorySessionRecords, SessionStore } from './sessions.js';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('SessionStore', () => {
  it('makes random 32-byte base64url codes that expire in 60 s', () => {
    const c = clock();
    const store = new SessionStore({ clock: c });
    const a = store.createCode();
    const b = store.createCode();
    assert.match(a.code, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a.code, b.code);
    assert.equal(Date.parse(a.expiresAt), c.now() + 60_000);
  });

  it('redeems a code once into a session that is valid for 7 days', () => {
    const c = clock();
    const store = new SessionStore({ clock: c });
    const { code } = store.createCode();
    const session = store.redeem(code);
    assert.ok(session);
    assert.match(session, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(store.redeem(code), undefined, 'a code works once');
    assert.equal(store.isValid(session), true);
    c.advance(7 * 24 * 3600_000 - 1);
    assert.equal(store.isValid(session), true);
    c.advance(1);
    assert.equal(store.isValid(session), false);
  });

  it('refuses unknown and expired codes, and forgets an expired code once tried', () => {
    const c = clock();
    const store = new SessionStore({ clock: c });
    assert.equal(store.redeem('nope'), undefined);
    assert.equal(store.redeem(''), undefined);
    const { code } = store.createCode();
    c.advance(60_000);
    assert.equal(store.redeem(code), undefined);
    assert.equal(store.size.codes, 0);
  });

  it('keeps only digests: no code or session value is held in memory or given to its records', () => {
    const stored: string[] = [];
    const memory = memorySessionRecords();
    const sessions = { ...memory, put: (d: string, e: number) => (stored.push(d), memory.put(d, e)) };
    const store = new SessionStore({ sessions });
    const { code } = store.createCode();
    const other = store.createCode().code;
    const session = store.redeem(code) ?? '';
    assert.equal(stored.length, 1);
    const held = JSON.stringify([
      ...(store as unknown as { codes: Map<string, number> }).codes.keys(),
      ...stored,
    ]);
    for (const secret of [other, session]) assert.ok(!held.includes(secret));
  });

  it('revokes a session (logout), idempotently; other sessions stay', () => {
    const store = new SessionStore();
    const one = store.redeem(store.createCode().code) ?? '';
    const two = store.redeem(store.createCode().code) ?? '';
    store.revoke(one);
    store.revoke(one);
    assert.equal(store.isValid(one), false);
    assert.equal(store.isValid(two), true);
    assert.equal(store.isValid(''), false);
  });

  it('bounds what it keeps: the oldest codes give way', () => {
    const store = new SessionStore();
    const first = store.createCode().code;
    for (let i = 0; i < 150; i++) store.createCode();
    assert.equal(store.size.codes, 100);
    assert.equal(store.redeem(first), undefined);
  });
});
