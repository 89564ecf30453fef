import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { join } from 'node:path';
import { tempDir } from '../../test/support/temp-dir.js';
import { AppStore } from './app-store.js';
import { openDatabase } from './database.js';
import { MIGRATIONS } from './migrations.js';
import { EventStore } from './event-store.js';
import { ReleaseStore } from './release-store.js';

const dir = tempDir();
after(() => dir.cleanup());

test('the database migrates once and keeps its data across reopenings', () => {
  const file = join(dir.path, 'wandol.db');
  const first = openDatabase(file);
  new AppStore(first).insert({ name: 'hello', repo: '/r.git', branch: 'main', path: '.', pollMs: 10_000 });
  first.close();
  const again = openDatabase(file);
  assert.equal(again.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.equal(new AppStore(again).get('hello')?.repo, '/r.git');
  again.close();
});

test('apps: insert refuses a taken name, errors and live release round-trip, remove cascades', () => {
  const db = openDatabase(':memory:');
  const apps = new AppStore(db);
  const releases = new ReleaseStore(db);
  const events = new EventStore(db);
  assert.equal(apps.insert({ name: 'a', repo: 'x', branch: 'main', path: '.', pollMs: 1000 }), true);
  assert.equal(apps.insert({ name: 'a', repo: 'y', branch: 'main', path: '.', pollMs: 1000 }), false);
  apps.setLastError('a', { code: 'BUILD_FAILED', message: 'boom', details: ['line'] });
  assert.deepEqual(apps.get('a')?.lastError?.details, ['line']);
  const r = releases.create('a', 'f'.repeat(40), 'poll');
  apps.setLiveRelease('a', r.id);
  events.append({ app: 'a', releaseId: r.id, type: 'Deployed', message: 'live', data: { n: 1 } });
  assert.equal(apps.get('a')?.liveReleaseId, r.id);
  apps.remove('a');
  assert.equal(apps.get('a'), undefined);
  assert.deepEqual(releases.list('a'), []);
  assert.deepEqual(events.list({ app: 'a', limit: 10 }), []);
});

test('releases: created InProgress, patched with JSON fields, listed newest first', () => {
  const db = openDatabase(':memory:');
  const releases = new ReleaseStore(db);
  const one = releases.create('a', '1'.repeat(40), 'poll');
  const two = releases.create('a', '2'.repeat(40), 'manual');
  assert.equal(one.status, 'InProgress');
  assert.equal(one.phase, 'Queued');
  releases.update(one.id, {
    status: 'Failed',
    error: { code: 'X', message: 'm', details: ['d'] },
    timings: { Building: 12 },
  });
  const got = releases.get(one.id)!;
  assert.equal(got.status, 'Failed');
  assert.deepEqual(got.error, { code: 'X', message: 'm', details: ['d'] });
  assert.deepEqual(got.timings, { Building: 12 });
  assert.deepEqual(
    releases.list('a').map((r) => r.id),
    [two.id, one.id],
  );
  assert.deepEqual(
    releases.inProgress().map((r) => r.id),
    [two.id],
  );
});
