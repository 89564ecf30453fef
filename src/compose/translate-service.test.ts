import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksSecret, serviceEnv } from './compose-env.js';
import { dockerBytes, memoryQuantity } from './compose-deploy.js';
import { healthProbes } from './compose-healthcheck.js';
import { composePorts } from './compose-ports.js';
import { composeVolumes } from './compose-volumes.js';
import { findings } from './findings.js';
import { interpolate } from './interpolate.js';
import { translateService } from './translate-service.js';

describe('interpolate: compose variable substitution', () => {
  const vars = { A: 'a', EMPTY: '' };
  const cases: [string, string, string[]][] = [
    ['plain $$ and $A and ${A}', 'plain $ and a and a', []],
    ['${MISSING}|$MISSING', '|', ['MISSING']],
    ['${EMPTY:-d}|${EMPTY-d}|${MISSING-d}', 'd||d', []],
    ['${A:+alt}|${EMPTY:+alt}|${EMPTY+alt}', 'alt||alt', []],
    ['${MISSING:-${A}-x}', 'a-x', []],
    ['price: 5$', 'price: 5$', []],
    ['${unclosed', '${unclosed', []],
  ];
  for (const [text, expected, unset] of cases) {
    it(JSON.stringify(text), () => {
      const report = { unset: new Set<string>(), required: new Set<string>() };
      assert.equal(interpolate(text, vars, report), expected);
      assert.deepEqual([...report.unset], unset);
    });
  }
  it('records ${VAR:?err} of an unset or empty variable as required', () => {
    const report = { unset: new Set<string>(), required: new Set<string>() };
    interpolate('${EMPTY:?no}${A?no}${MISSING?no}', vars, report);
    assert.deepEqual([...report.required].sort(), ['EMPTY', 'MISSING']);
  });
});

describe('ports', () => {
  const cases: [unknown, unknown][] = [
    ['3000', { container: 3000, protocol: 'tcp' }],
    ['8080:80', { container: 80, published: 8080, protocol: 'tcp' }],
    ['127.0.0.1:8080:80/udp', { container: 80, published: 8080, hostIp: '127.0.0.1', protocol: 'udp' }],
    [8080, { container: 8080, protocol: 'tcp' }],
    [
      { target: 80, published: '8080', host_ip: '0.0.0.0' },
      { container: 80, published: 8080, hostIp: '0.0.0.0', protocol: 'tcp' },
    ],
  ];
  for (const [entry, expected] of cases) {
    it(JSON.stringify(entry), () => assert.deepEqual(composePorts([entry], findings()), [expected]));
  }
  it('reports ranges and nonsense', () => {
    const found = findings();
    assert.deepEqual(composePorts(['3000-3005:3000-3005', 'x:y'], found), []);
    assert.equal(found.untranslated.length, 2);
    assert.match(found.untranslated[0] ?? '', /ranges are not supported/);
  });
});

describe('volumes', () => {
  it('keeps named volumes (names made DNS labels) and reports the rest', () => {
    const found = findings();
    const volumes = composeVolumes(
      'web',
      [
        'app_data:/data',
        'cache:/cache:ro',
        './src:/app/src',
        '/var/run/docker.sock:/var/run/docker.sock',
        '/anon',
        { type: 'volume', source: 'Logs', target: '/logs' },
      ],
      found,
    );
    assert.deepEqual(volumes, [
      { name: 'app-data', mountPath: '/data' },
      { name: 'cache', mountPath: '/cache' },
      { name: 'logs', mountPath: '/logs' },
    ]);
    assert.equal(found.untranslated.filter((u) => u.includes('bind mounts')).length, 2);
    assert.ok(found.untranslated.some((u) => u.includes('(this is anonymous)')));
    assert.ok(found.notes.some((n) => n.includes('no read-only mode')));
  });
});

describe('healthcheck', () => {
  it('maps CMD, CMD-SHELL and a string to exec commands', () => {
    assert.deepEqual(healthProbes({ test: ['CMD', 'true'] }, findings()).readiness?.exec.command, ['true']);
    assert.deepEqual(healthProbes({ test: ['CMD-SHELL', 'a || b'] }, findings()).readiness?.exec.command, [
      '/bin/sh',
      '-c',
      'a || b',
    ]);
    assert.deepEqual(healthProbes({ test: 'a && b' }, findings()).readiness?.exec.command, [
      '/bin/sh',
      '-c',
      'a && b',
    ]);
  });
  it('maps interval/timeout/retries, compose defaults, and start_period to a startup probe', () => {
    const { readiness, startup } = healthProbes(
      { test: ['CMD', 'x'], interval: '1m30s', timeout: '500ms', retries: 2, start_period: '3m' },
      findings(),
    );
    assert.deepEqual(readiness, {
      exec: { command: ['x'] },
      periodSeconds: 90,
      timeoutSeconds: 0.5,
      failureThreshold: 2,
    });
    assert.equal(startup?.failureThreshold, 4);
    const defaults = healthProbes({ test: ['CMD', 'x'] }, findings()).readiness;
    assert.deepEqual(defaults, {
      exec: { command: ['x'] },
      periodSeconds: 30,
      timeoutSeconds: 30,
      failureThreshold: 3,
    });
  });
  it('gives no probe when disabled', () => {
    assert.deepEqual(healthProbes({ test: ['NONE'] }, findings()), {});
    assert.deepEqual(healthProbes({ disable: true }, findings()), {});
  });
});

describe('env and secrets', () => {
  it('recognises secret-looking names', () => {
    for (const name of [
      'DISCORD_TOKEN',
      'DB_PASSWORD',
      'API_KEY',
      'AWS_SECRET_ACCESS_KEY',
      'GITHUB_ACCESSTOKEN',
      'SMTP_PASS',
    ])
      assert.ok(looksSecret(name), name);
    for (const name of ['NODE_ENV', 'KEYBOARD', 'MONKEY', 'LOG_LEVEL', 'PASSENGER_COUNT'])
      assert.ok(!looksSecret(name), name);
  });
  it('merges env_file under environment, moves secrets and URLs with passwords out', () => {
    const found = findings();
    const result = serviceEnv(
      'api',
      ['A=1', 'URL=redis://:pw@cache:6379', 'TOKEN=t'],
      { A: '0', B: '2' },
      found,
    );
    assert.deepEqual(result.env, { A: '1', B: '2' });
    assert.deepEqual(result.secrets, ['URL', 'TOKEN']);
  });
});

describe('memory sizes', () => {
  const cases: [unknown, number | undefined, string | number | undefined][] = [
    ['512m', 512 * 2 ** 20, '512Mi'],
    ['1g', 2 ** 30, '1Gi'],
    ['1.5GB', 1.5 * 2 ** 30, '1536Mi'],
    [1000, 1000, 1000],
    ['lots', undefined, undefined],
  ];
  for (const [text, bytes, quantity] of cases) {
    it(String(text), () => {
      assert.equal(dockerBytes(text), bytes);
      if (bytes !== undefined) assert.equal(memoryQuantity(bytes), quantity);
    });
  }
});

describe('translateService', () => {
  it('takes deploy.replicas, else scale; drops container_name; reports unknown keys', () => {
    const imp = translateService({
      name: 'My_App',
      service: { image: 'nginx', scale: 3, container_name: 'x', privileged: true, ports: ['80'] },
      otherServices: [],
      envFromFiles: {},
    });
    assert.equal(imp.app, 'my-app');
    assert.equal(imp.spec.replicas, 3);
    assert.equal(imp.spec.route, undefined, 'no published port, no route');
    assert.ok(imp.untranslated.includes('privileged: no wandol equivalent'));
    assert.equal(imp.dockerfile, 'FROM nginx\n');
  });
});
