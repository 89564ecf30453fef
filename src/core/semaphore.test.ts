import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Semaphore } from './semaphore.js';

test('at most `limit` run at once, in call order', async () => {
  const sem = new Semaphore(1);
  const order: string[] = [];
  let release!: () => void;
  const first = sem.run(() => new Promise<void>((r) => (release = r)).then(() => order.push('a')));
  const second = sem.run(async () => order.push('b'));
  assert.equal(sem.queued, 1);
  await new Promise((r) => setImmediate(r)); // the first run has started and handed out `release`
  release();
  await Promise.all([first, second]);
  assert.deepEqual(order, ['a', 'b']);
});

test('an aborted waiter leaves the queue with CANCELLED', async () => {
  const sem = new Semaphore(1);
  let release!: () => void;
  const first = sem.run(() => new Promise<void>((r) => (release = r)));
  const abort = new AbortController();
  const second = sem.run(async () => 'ran', abort.signal);
  abort.abort();
  await assert.rejects(second, { code: 'CANCELLED' });
  assert.equal(sem.queued, 0);
  await new Promise((r) => setImmediate(r));
  release();
  await first;
});
