import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { captureIo } from '../cli/capture-io.js';
import { main } from '../cli/main.js';
import { parseAppSpec } from '../config/parse-app-spec.js';
import { tempDir } from '../../test/support/temp-dir.js';

// Tests run from dist/; the fixtures stay in the source tree. WANDOL_UPDATE_FIXTURES=1 rewrites
// the expected outputs (review the diff before committing it).
const FIXTURES = fileURLToPath(new URL('../../../src/compose/fixtures/', import.meta.url));
const UPDATE = process.env.WANDOL_UPDATE_FIXTURES === '1';

/** Each fixture folder: a compose file, the environment the import sees, what it must print and write. */
const CASES: { name: string; env: Record<string, string> }[] = [
  { name: 'web-db', env: {} },
  { name: 'discord-bot', env: {} },
  { name: 'build-context', env: { API_BASE_URL: 'https://staging.example' } },
  { name: 'env-file', env: { CONCURRENCY: '8' } },
];

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

async function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const io = captureIo({ cwd, env });
  const code = await main(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('wandol import compose: fixtures', () => {
  const tmp = tempDir('wandol-compose-');
  after(() => tmp.cleanup());

  for (const { name, env } of CASES) {
    it(`${name}: prints the expected summary and writes specs that parse`, async () => {
      const dir = join(FIXTURES, name);
      const out = join(tmp.path, name);
      const {
        code,
        out: stdout,
        err,
      } = await cli(['import', 'compose', 'docker-compose.yml', '--out', out], dir, env);
      assert.equal(code, 0, err);
      const summary = stdout.split(out).join('<out>');
      const expected = join(dir, 'expected');
      if (UPDATE) {
        mkdirSync(expected, { recursive: true });
        writeFileSync(join(expected, 'summary.txt'), summary);
        for (const file of filesUnder(out)) {
          mkdirSync(join(expected, file, '..'), { recursive: true });
          writeFileSync(join(expected, file), readFileSync(join(out, file)));
        }
      }
      assert.equal(summary, readFileSync(join(expected, 'summary.txt'), 'utf8'));
      const produced = filesUnder(out);
      assert.deepEqual(
        produced,
        filesUnder(expected).filter((f) => f !== 'summary.txt'),
      );
      for (const file of produced) {
        const text = readFileSync(join(out, file), 'utf8');
        assert.equal(text, readFileSync(join(expected, file), 'utf8'), file);
        if (file.endsWith('wandol.yaml')) {
          const spec = parseAppSpec(text, file);
          assert.equal(spec.runtime, 'docker');
          assert.ok(spec.run.port, `${file} has run.port`);
        }
      }
    });
  }
});

describe('wandol import compose: errors', () => {
  const tmp = tempDir('wandol-compose-err-');
  after(() => tmp.cleanup());

  it('refuses an unknown format with a usage error (exit 2)', async () => {
    const { code, err } = await cli(['import', 'helm', 'Chart.yaml'], tmp.path);
    assert.equal(code, 2);
    assert.match(err, /unknown format "helm": only compose is supported/);
  });

  it('says when the file is missing or is not a compose file (exit 1)', async () => {
    const missing = await cli(['import', 'compose', 'nope.yml'], tmp.path);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /compose file nope\.yml not found/);
    writeFileSync(join(tmp.path, 'other.yml'), 'runtime: docker\n');
    const other = await cli(['import', 'compose', 'other.yml'], tmp.path);
    assert.equal(other.code, 1);
    assert.match(other.err, /other\.yml has no services: is it a docker-compose\.yml\?/);
    writeFileSync(join(tmp.path, 'bad.yml'), 'services:\n  web: [\n');
    assert.match(
      (await cli(['import', 'compose', 'bad.yml'], tmp.path)).err,
      /bad\.yml is not valid YAML\n\s+bad\.yml:\d+:\d+: /,
    );
  });

  it('refuses a ${VAR:?message} whose variable is unset, and writes to ./wandol-import by default', async () => {
    writeFileSync(join(tmp.path, 'req.yml'), 'services:\n  web:\n    image: "nginx:${TAG:?set TAG}"\n');
    const refused = await cli(['import', 'compose', 'req.yml'], tmp.path);
    assert.match(refused.err, /requires variables that are not set: TAG/);
    const ok = await cli(['import', 'compose', 'req.yml', '--json'], tmp.path, { TAG: '1.27' });
    assert.equal(ok.code, 0, ok.err);
    const result = JSON.parse(ok.out) as { services: { files: string[] }[] };
    assert.deepEqual(result.services[0]?.files, [
      join(tmp.path, 'wandol-import', 'web', 'wandol.yaml'),
      join(tmp.path, 'wandol-import', 'web', 'Dockerfile'),
    ]);
    assert.equal(
      readFileSync(join(tmp.path, 'wandol-import', 'web', 'Dockerfile'), 'utf8'),
      'FROM nginx:1.27\n',
    );
  });
});
