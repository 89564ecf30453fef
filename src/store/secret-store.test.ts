import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hasCode } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { openDatabase } from './database.js';
import { SecretStore } from './secret-store.js';

describe('SecretStore', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  let n = 0;
  const fresh = () => {
    const root = join(dir.path, `case-${++n}`);
    const dbFile = join(root, 'wandol.db');
    const keyFile = join(root, 'keys', 'secret.key');
    const db = openDatabase(dbFile);
    return { root, dbFile, keyFile, db, store: new SecretStore(db, keyFile) };
  };

  it('round-trips values, upserts, lists names only and removes idempotently', () => {
    const { db, store } = fresh();
    store.set('hello', 'DISCORD_TOKEN', 'tok-AAAA-1111');
    store.set('hello', 'API_KEY', 'first-value');
    store.set('hello', 'API_KEY', 'second-value');
    store.set('other', 'API_KEY', 'other-value');
    assert.deepEqual(store.values('hello'), { API_KEY: 'second-value', DISCORD_TOKEN: 'tok-AAAA-1111' });
    const listed = store.list('hello');
    assert.deepEqual(
      listed.map((s) => s.name),
      ['API_KEY', 'DISCORD_TOKEN'],
    );
    assert.ok(
      listed.every(
        (s) => Object.keys(s).join() === 'name,updatedAt' && !Number.isNaN(Date.parse(s.updatedAt)),
      ),
    );
    assert.ok(!JSON.stringify(listed).includes('value'));
    store.remove('hello', 'API_KEY');
    store.remove('hello', 'API_KEY');
    assert.deepEqual(Object.keys(store.values('hello')), ['DISCORD_TOKEN']);
    store.removeApp('hello');
    store.removeApp('hello');
    assert.deepEqual(store.list('hello'), []);
    assert.deepEqual(store.values('other'), { API_KEY: 'other-value' });
    assert.deepEqual(store.values('ghost'), {});
    db.close();
  });

  it('registers values with redact()', () => {
    const { db, store } = fresh();
    store.set('hello', 'TOKEN', 'redact-me-please-42');
    assert.equal(redact('header redact-me-please-42 footer'), 'header *** footer');
    db.close();
  });

  it('keeps no plaintext in the database files', () => {
    const { db, dbFile, store } = fresh();
    const plain = 'PLAINTEXT-canary-7f3a9c';
    store.set('hello', 'TOKEN', plain);
    const contains = (): boolean =>
      [dbFile, `${dbFile}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(plain));
    assert.ok(existsSync(`${dbFile}-wal`), 'the write is in the WAL while the database is open');
    assert.equal(contains(), false, 'while open (WAL)');
    db.close();
    assert.equal(contains(), false, 'after the checkpoint on close');
    assert.ok(readFileSync(dbFile).includes('TOKEN'), 'the name is stored in clear');
  });

  it('creates the key file with mode 0600 and refuses one that others can read', () => {
    const { db, keyFile, store } = fresh();
    assert.equal(existsSync(keyFile), false, 'nothing created before first use');
    store.set('hello', 'TOKEN', 'value-1234');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(readFileSync(keyFile).length, 32);
    chmodSync(keyFile, 0o644);
    assert.throws(
      () => new SecretStore(db, keyFile).values('hello'),
      (err) =>
        hasCode(err, 'INTERNAL') && String(err).includes(`chmod 600 ${keyFile}`) && /0644/.test(String(err)),
    );
    chmodSync(keyFile, 0o600);
    assert.deepEqual(new SecretStore(db, keyFile).values('hello'), { TOKEN: 'value-1234' });
    db.close();
  });

  it('fails to open with another key, naming the secret but not its value', () => {
    const { db, root, store } = fresh();
    store.set('hello', 'TOKEN', 'sealed-under-key-one');
    const otherKey = join(root, 'other.key');
    const other = new SecretStore(db, otherKey);
    assert.throws(
      () => other.values('hello'),
      (err) =>
        hasCode(err, 'INTERNAL') &&
        /secret TOKEN of app hello/.test(String(err)) &&
        !String(err).includes('sealed-under-key-one'),
    );
    writeFileSync(join(root, 'short.key'), 'too short', { mode: 0o600 });
    assert.throws(
      () => new SecretStore(db, join(root, 'short.key')).values('hello'),
      (err) => hasCode(err, 'INTERNAL') && /expected 32 bytes/.test(String(err)),
    );
    db.close();
  });

  it('does not open a value moved to another row (sealed with its app and name)', () => {
    const { db, store } = fresh();
    store.set('a', 'TOKEN', 'value-of-a-token');
    store.set('b', 'TOKEN', 'value-of-b-token');
    db.prepare(
      `UPDATE secrets SET sealed = (SELECT sealed FROM secrets WHERE app = 'a') WHERE app = 'b'`,
    ).run();
    assert.throws(
      () => store.values('b'),
      (err) => hasCode(err, 'INTERNAL'),
    );
    db.close();
  });

  it('hashes are keyed fingerprints that change with the value', () => {
    const { db, store } = fresh();
    store.set('hello', 'TOKEN', 'v1-value');
    const first = store.hashes('hello');
    assert.match(first.TOKEN ?? '', /^hmac-sha256:[0-9a-f]{16}$/);
    assert.deepEqual(store.hashes('hello'), first);
    store.set('hello', 'TOKEN', 'v2-value');
    assert.notEqual(store.hashes('hello').TOKEN, first.TOKEN);
    db.close();
  });

  it('refuses bad names, empty and oversized values with USAGE', () => {
    const { db, store } = fresh();
    for (const [name, value] of [
      ['1BAD', 'x'],
      ['PORT', 'x'],
      ['OK', ''],
      ['OK', 'x'.repeat(64 * 1024 + 1)],
    ] as const) {
      assert.throws(
        () => store.set('hello', name, value),
        (err) => hasCode(err, 'USAGE'),
        name,
      );
    }
    assert.deepEqual(store.list('hello'), []);
    db.close();
  });
});
