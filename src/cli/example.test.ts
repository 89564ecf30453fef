import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeAgentService } from '../api/fake-agent-service.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { exampleSourceDir, setupExample } from './example.js';

describe('setupExample', () => {
  const dir = tempDir('wandol-example-');
  after(() => dir.cleanup());

  it('creates the repository once, commits the example and registers it (FakeAgentService stands in)', async () => {
    const service = new FakeAgentService();
    // Hold a port so that the example must pick another one.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const first = await setupExample(dir.path, service, { preferredPort: taken });
      assert.notEqual(first.port, taken);
      assert.match(first.notes.join('\n'), new RegExp(`port ${taken} is taken`));
      assert.match(
        readFileSync(join(first.clone, 'wandol.yaml'), 'utf8'),
        new RegExp(`route: \\{ port: ${first.port} \\}`),
      );
      const log = execFileSync('git', ['-C', first.remote, 'log', '--format=%s', 'main'], {
        encoding: 'utf8',
      });
      assert.equal(log.trim(), 'Initial commit');
      assert.deepEqual(service.calls.at(-1)?.args, [
        { name: 'hello', repo: first.remote, branch: 'main', pollMs: 2000 },
      ]);

      const second = await setupExample(dir.path, service);
      assert.equal(second.port, first.port);
      assert.deepEqual(second.notes, []);
      assert.equal(service.calls.filter((c) => c.method === 'addApp').length, 1);
    } finally {
      blocker.close();
    }
  });

  it('finds examples/hello of the package', () => {
    assert.match(readFileSync(join(exampleSourceDir(), 'wandol.yaml'), 'utf8'), /run:/);
  });
});
