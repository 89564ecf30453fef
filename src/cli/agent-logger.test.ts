import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanLine } from './agent-logger.js';

describe('humanLine', () => {
  it('shortens warnings and errors', () => {
    const line = JSON.stringify({
      time: '2024-01-01T12:03:04.000Z',
      level: 'warn',
      msg: 'Deploy failed',
      app: 'demo',
      n: 2,
    });
    assert.equal(humanLine(line), '12:03:04 warn Deploy failed app=demo n=2');
  });
  it('skips info entries and non-JSON', () => {
    assert.equal(humanLine(JSON.stringify({ time: '', level: 'info', msg: 'x' })), undefined);
    assert.equal(humanLine('not json'), undefined);
  });
});
