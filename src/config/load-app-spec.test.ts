import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WandolError } from '../core/errors.js';
import { loadAppSpec, type CommitFileReader } from './load-app-spec.js';

const SHA = 'a'.repeat(40);
const reader = (files: Record<string, string>): CommitFileReader => ({
  readFile: async (sha, path) => (sha === SHA ? files[path] : undefined),
});

describe('loadAppSpec', () => {
  it('reads <appPath>/wandol.yaml of the commit', async () => {
    const text = 'run: { command: node server.js }\n';
    const loaded = await loadAppSpec(reader({ 'services/api/wandol.yaml': text }), SHA, './services/api');
    assert.equal(loaded.file, 'services/api/wandol.yaml');
    assert.equal(loaded.text, text);
    assert.equal(loaded.spec.run.command, 'node server.js');
  });

  it('refuses a commit without wandol.yaml, saying where it looked', async () => {
    await assert.rejects(loadAppSpec(reader({}), SHA, 'api'), (err) => {
      assert.ok(err instanceof WandolError);
      assert.equal(err.code, 'INVALID_CONFIG');
      assert.equal(err.message, 'no wandol.yaml at api/wandol.yaml in commit aaaaaaa: add one (see README)');
      return true;
    });
  });

  it('names the file by its repository path in the details', async () => {
    const files = { 'api/wandol.yaml': 'run: { command: x }\nreplicas: -1\n' };
    await assert.rejects(loadAppSpec(reader(files), SHA, 'api'), (err) => {
      assert.ok(err instanceof WandolError);
      assert.deepEqual(err.details, [
        'api/wandol.yaml: replicas: expected a whole number, 0 or more, got -1',
      ]);
      return true;
    });
  });
});
