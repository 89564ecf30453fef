import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WandolError } from '../core/errors.js';
import { parseAppSpec } from './parse-app-spec.js';

// Tests run from dist/; the fixtures stay in the source tree.
const FIXTURES = fileURLToPath(new URL('../../../src/config/fixtures/', import.meta.url));
const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.yaml'));
const read = (name: string): string => readFileSync(FIXTURES + name, 'utf8');

/** Runs parseAppSpec and returns the INVALID_CONFIG error it throws. */
function invalid(text: string, file?: string): WandolError {
  try {
    parseAppSpec(text, file);
  } catch (err) {
    assert.ok(err instanceof WandolError && err.code === 'INVALID_CONFIG', `unexpected ${String(err)}`);
    return err;
  }
  assert.fail('expected INVALID_CONFIG');
}

describe('parseAppSpec: valid fixtures', () => {
  for (const name of files.filter((n) => n.startsWith('valid-'))) {
    it(name, () => {
      const expected: unknown = JSON.parse(read(name.replace(/\.yaml$/, '.expected.json')));
      assert.deepEqual(parseAppSpec(read(name)), expected);
    });
  }
});

describe('parseAppSpec: invalid fixtures report every problem', () => {
  for (const name of files.filter((n) => n.startsWith('invalid-'))) {
    it(name, () => {
      const text = read(name);
      const expected = text
        .split('\n')
        .filter((line) => line.startsWith('# expect: '))
        .map((line) => line.slice('# expect: '.length));
      assert.ok(expected.length > 0, 'fixture has no "# expect:" lines');
      const err = invalid(text);
      assert.deepEqual(err.details, expected);
      assert.equal(
        err.message,
        `wandol.yaml is invalid: ${expected.length} problem(s); the running version keeps serving. Fix the file and push again.`,
      );
    });
  }
});

// Syntax errors live here rather than in fixtures: prettier refuses to format broken YAML files.
describe('parseAppSpec: YAML syntax errors', () => {
  it('reports every syntax error with line:column', () => {
    const text = [
      'run:',
      '  command: node server.js',
      '  command: node other.js',
      'strategy: { type: rolling',
      '',
    ];
    assert.deepEqual(invalid(text.join('\n')).details, [
      'wandol.yaml:3:3: Map keys must be unique',
      'wandol.yaml:5:1: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
  });

  it('reports a tab indentation at its position', () => {
    const details = invalid('run:\n\tcommand: x\n').details;
    assert.equal(details.length, 1);
    assert.match(details[0] ?? '', /^wandol\.yaml:2:1: /);
  });
});

describe('parseAppSpec: details', () => {
  it('names the file it was given', () => {
    const err = invalid('run: { command: x }\nreplicas: many', 'services/api/wandol.yaml');
    assert.deepEqual(err.details, [
      'services/api/wandol.yaml: replicas: expected a whole number, 0 or more, got "many"',
    ]);
    assert.match(err.message, /^services\/api\/wandol\.yaml is invalid: 1 problem/);
  });

  it('treats an empty file as an empty mapping', () => {
    assert.deepEqual(invalid('').details, [
      'wandol.yaml: run.command: required for runtime process: the command that starts your app (it must listen on $PORT), e.g. "node server.js"',
    ]);
  });

  it('redacts credentials that users paste into values', () => {
    const err = invalid('run: { command: x }\nruntime: https://me:hunter22@example.invalid');
    assert.ok(err.details.every((d) => !d.includes('hunter22')));
  });

  it('accepts the sample app of the test support', async () => {
    const { sampleWandolYaml } = await import('../../test/support/sample-app.js');
    const spec = parseAppSpec(sampleWandolYaml(8081, 'replicas: 2'));
    assert.equal(spec.route?.port, 8081);
    assert.equal(spec.replicas, 2);
    assert.equal(spec.probes.readiness?.periodMs, 1000);
    assert.equal(spec.strategy.progressDeadlineMs, 20_000);
  });
});
