import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SessionStore } from '../dashboard/sessions.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { openDatabase } from './database.js';
import { sqliteSessionRecords } from './session-records.js';

describe('sqliteSessionRecords', () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  it('keeps, prunes, deletes and bounds sessions by digest', () => {
    const records = sqliteSessionRecords(openDatabase(':memory:'), 2);
    records.put('a', 100);
    records.put('b', 300);
    assert.equal(records.get('a'), 100);
    records.put('c', 200); // over the bound: the one expiring first gives way
    assert.equal(records.get('a'), undefined);
    assert.equal(records.count(), 2);
    records.prune(200);
    assert.deepEqual([records.get('b'), records.get('c')], [300, undefined]);
    records.delete('b');
    assert.equal(records.count(), 0);
    records.put('d', 400);
    records.put('e', 500);
    assert.equal(records.clear(), 2);
    assert.equal(records.get('e'), undefined);
  });

  it('a dashboard session outlives the agent: a new store on the same database accepts its cookie', () => {
    const file = join(dir.path, 'wandol.db');
    const first = openDatabase(file);
    const before = new SessionStore({ sessions: sqliteSessionRecords(first, 10) });
    const cookie = before.redeem(before.createCode().code);
    assert.ok(cookie);
    first.close();
    const second = openDatabase(file);
    const after = new SessionStore({ sessions: sqliteSessionRecords(second, 10) });
    assert.equal(after.isValid(cookie), true);
    assert.equal(after.isValid(`${cookie}x`), false);
    after.revoke(cookie);
    assert.equal(after.isValid(cookie), false);
    const stored = second.prepare('SELECT digest FROM dashboard_sessions').all() as { digest: string }[];
    assert.ok(
      stored.every((row) => !row.digest.includes(cookie)),
      'the cookie value is never stored',
    );
    second.close();
  });
});
