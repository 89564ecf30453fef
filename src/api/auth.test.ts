import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialOf, passesCsrfCheck, readCookie } from './auth.js';

describe('readCookie', () => {
  const cases: [string | undefined, string | undefined][] = [
    [undefined, undefined],
    ['', undefined],
    ['wandol_session=abc', 'abc'],
    ['a=1; wandol_session=abc-_x; b=2', 'abc-_x'],
    ['a=1;wandol_session= spaced ', 'spaced'],
    ['xwandol_session=nope; wandol_sessionx=nope', undefined],
    ['wandol_session=', ''],
    ['broken; wandol_session=v=w', 'v=w'],
  ];
  for (const [header, want] of cases) {
    it(`${JSON.stringify(header)} → ${JSON.stringify(want)}`, () => {
      assert.equal(readCookie(header, 'wandol_session'), want);
    });
  }
});

describe('passesCsrfCheck', () => {
  const cases: [string, string | string[] | undefined, boolean][] = [
    ['GET', undefined, true],
    ['HEAD', undefined, true],
    ['POST', undefined, false],
    ['POST', '1', true],
    ['PUT', '1', true],
    ['DELETE', '0', false],
    ['POST', 'true', false],
    ['POST', ['1', '1'], false],
  ];
  for (const [method, header, want] of cases) {
    it(`${method} with ${JSON.stringify(header)} → ${want}`, () => {
      assert.equal(passesCsrfCheck(method, header), want);
    });
  }
});

describe('credentialOf', () => {
  const sessions = { isValid: (value: string) => value === 'good' };
  it('prefers the token, then a valid session cookie', () => {
    assert.equal(credentialOf({ authorization: 'Bearer tok' }, 'tok', sessions), 'token');
    assert.equal(
      credentialOf({ authorization: 'Bearer bad', cookie: 'wandol_session=good' }, 'tok', sessions),
      'session',
    );
    assert.equal(credentialOf({ cookie: 'wandol_session=bad' }, 'tok', sessions), 'none');
    assert.equal(
      credentialOf({ cookie: 'wandol_session=good' }, 'tok'),
      'none',
      'no session store: no sessions',
    );
    assert.equal(credentialOf({}, 'tok', sessions), 'none');
  });
});
