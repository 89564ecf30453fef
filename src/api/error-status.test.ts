import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WandolError, type ErrorCode } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { errorResponse, HttpStatusError, httpStatusFor } from './error-status.js';

describe('httpStatusFor', () => {
  const table: [ErrorCode, number][] = [
    ['USAGE', 400],
    ['INVALID_NAME', 400],
    ['INVALID_CONFIG', 400],
    ['UNAUTHORIZED', 401],
    ['NOT_FOUND', 404],
    ['REVISION_NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['PORT_IN_USE', 409],
    ['SOURCE_UNREACHABLE', 502],
    ['DATAPLANE_UNREACHABLE', 502],
    ['TIMEOUT', 504],
    ['BUILD_FAILED', 500],
    ['INTERNAL', 500],
  ];
  for (const [code, status] of table)
    it(`${code} → ${status}`, () => assert.equal(httpStatusFor(code), status));
});

describe('errorResponse', () => {
  it('keeps code, message and details of a WandolError', () => {
    const err = new WandolError('INVALID_CONFIG', 'wandol.yaml is invalid', {
      details: ['replicas: expected a number'],
    });
    assert.deepEqual(errorResponse(err, silentLogger), {
      status: 400,
      body: {
        error: {
          code: 'INVALID_CONFIG',
          message: 'wandol.yaml is invalid',
          details: ['replicas: expected a number'],
        },
      },
    });
  });
  it('uses the status of an HttpStatusError', () => {
    assert.equal(errorResponse(new HttpStatusError(413, 'USAGE', 'too big'), silentLogger).status, 413);
  });
  it('hides the message of anything else', () => {
    const { status, body } = errorResponse(new TypeError('x is undefined'), silentLogger);
    assert.equal(status, 500);
    assert.equal(body.error.code, 'INTERNAL');
    assert.doesNotMatch(body.error.message, /undefined/);
  });
});
