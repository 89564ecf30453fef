import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { pickTarget } from './balancer.js';
import { Target } from './target.js';

const made: Target[] = [];
function make(id: string, inFlight = 0, down = false): Target {
  const t = new Target(
    { instanceId: id, releaseId: 1, endpoint: { host: '127.0.0.1', port: 1 } },
    { requests: 0, failed: 0 },
    () => {},
  );
  t.inFlight = inFlight;
  if (down) t.markDown();
  made.push(t);
  return t;
}

describe('pickTarget', () => {
  after(async () => {
    await Promise.all(made.map((t) => t.destroy()));
  });

  it('picks the target with the fewest outstanding requests', () => {
    const [a, b, c] = [make('a', 3), make('b', 1), make('c', 2)];
    for (let cursor = 0; cursor < 3; cursor++) assert.equal(pickTarget([a, b, c], cursor)?.instanceId, 'b');
  });

  it('breaks ties round-robin by the cursor', () => {
    const targets = [make('a'), make('b'), make('c')];
    const picked = [0, 1, 2, 3].map((cursor) => pickTarget(targets, cursor)?.instanceId);
    assert.deepEqual(picked, ['a', 'b', 'c', 'a']);
  });

  it('skips a down target while another is usable, even a busier one', () => {
    const [down, busy] = [make('down', 0, true), make('busy', 10)];
    assert.equal(pickTarget([down, busy], 0)?.instanceId, 'busy');
  });

  it('still picks a down target when all are down', () => {
    const [a, b] = [make('a', 0, true), make('b', 1, true)];
    assert.equal(pickTarget([a, b], 0)?.instanceId, 'a');
  });

  it('tries a down target again once its retry time has passed, one request at a time', () => {
    const [back, other] = [make('back', 0, true), make('other', 5)];
    back.retryAt = Date.now() - 1;
    assert.equal(pickTarget([back, other], 0)?.instanceId, 'back');
    assert.ok(back.retryAt > Date.now(), 'a new retry time was set');
    assert.equal(pickTarget([back, other], 0)?.instanceId, 'other');
  });

  it('skips excluded targets and returns undefined when nothing is left', () => {
    const [a, b] = [make('a'), make('b', 4)];
    assert.equal(pickTarget([a, b], 0, new Set([a]))?.instanceId, 'b');
    assert.equal(pickTarget([a], 0, new Set([a])), undefined);
    assert.equal(pickTarget([], 0), undefined);
  });
});
