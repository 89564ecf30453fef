import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientResponseHeaders, normalizeHost, rawHost, upstreamRequestHeaders } from './proxy-headers.js';

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

describe('upstreamRequestHeaders', () => {
  const cases: { name: string; raw: string[]; want: Record<string, string>; hasBody: boolean }[] = [
    {
      name: 'plain GET',
      raw: ['Host', 'app.localhost', 'Accept', '*/*'],
      want: {
        Host: 'app.localhost',
        Accept: '*/*',
        'x-forwarded-for': '10.0.0.9',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': 'app.localhost',
      },
      hasBody: false,
    },
    {
      name: 'hop-by-hop and Connection-named headers removed, forwarded headers merged',
      raw: [
        'Host',
        'h',
        'Connection',
        'keep-alive, X-Drop',
        'X-Drop',
        '1',
        'Keep-Alive',
        'timeout=5',
        'TE',
        'trailers',
        'Proxy-Connection',
        'x',
        'Expect',
        '100-continue',
        'X-Forwarded-For',
        '1.1.1.1',
        'x-forwarded-for',
        '2.2.2.2',
        'X-Forwarded-Proto',
        'https',
        'X-Forwarded-Host',
        'evil',
        'Content-Length',
        '0',
      ],
      want: {
        Host: 'h',
        'Content-Length': '0',
        'x-forwarded-for': '1.1.1.1, 2.2.2.2, 10.0.0.9',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'h',
      },
      hasBody: false,
    },
    {
      name: 'a body by content-length',
      raw: ['Host', 'h', 'Content-Length', '12'],
      want: {
        Host: 'h',
        'Content-Length': '12',
        'x-forwarded-for': '10.0.0.9',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': 'h',
      },
      hasBody: true,
    },
    {
      name: 'a body by transfer-encoding (the header itself is hop-by-hop)',
      raw: ['Host', 'h', 'Transfer-Encoding', 'chunked'],
      want: {
        Host: 'h',
        'x-forwarded-for': '10.0.0.9',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': 'h',
      },
      hasBody: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const facts = { host: '', hasBody: false };
      assert.deepEqual(pairs(upstreamRequestHeaders(c.raw, '10.0.0.9', facts)), c.want);
      assert.equal(facts.hasBody, c.hasBody);
    });
  }
});

describe('clientResponseHeaders', () => {
  it('drops hop-by-hop fields and those named in Connection, keeps the rest as latin1 strings', () => {
    const raw = [
      'Content-Type',
      'text/plain',
      'Connection',
      'keep-alive, X-Hop',
      'X-Hop',
      '1',
      'Keep-Alive',
      'timeout=5',
      'Transfer-Encoding',
      'chunked',
      'Trailer',
      'X-Sum',
      'Upgrade',
      'h2c',
      'Set-Cookie',
      'a=1',
      'Set-Cookie',
      'b=2',
      'X-Name',
      'caf\u00e9',
    ].map((s) => Buffer.from(s, 'latin1'));
    assert.deepEqual(clientResponseHeaders(raw), [
      'Content-Type',
      'text/plain',
      'Set-Cookie',
      'a=1',
      'Set-Cookie',
      'b=2',
      'X-Name',
      'caf\u00e9',
    ]);
  });
});

describe('host helpers', () => {
  it('finds the Host header and normalizes it', () => {
    assert.equal(rawHost(['Accept', '*/*', 'HOST', 'Example.COM:8080']), 'Example.COM:8080');
    assert.equal(rawHost(['Accept', '*/*']), '');
    const table: [string, string][] = [
      ['Example.COM:8080', 'example.com'],
      ['hello.localhost', 'hello.localhost'],
      ['[::1]:8080', '[::1]'],
      ['', ''],
    ];
    for (const [input, want] of table) assert.equal(normalizeHost(input), want, input);
  });
});
