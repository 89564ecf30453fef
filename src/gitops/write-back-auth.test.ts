import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WandolError, hasCode } from '../core/errors.js';
import { jsonLogger } from '../core/logger.js';
import { redact } from '../core/redact.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { gitAuth, sshCommand } from './git-credentials.js';
import { writeBack, type WriteBackOptions } from './write-back.js';
import { IMAGE, KUSTOMIZATION } from './write-back-fixture.js';

const TOKEN = 'ghp_wandolTestToken0123456789abcdef';

/** The command lines of every process this user can see (Linux /proc), joined. */
function allCommandLines(): string {
  if (!existsSync('/proc/self/cmdline')) return '';
  const lines = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  return lines
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        return ''; // the process ended meanwhile
      }
    })
    .join('\n');
}

describe('writeBack credentials', () => {
  const tmp = tempDir();
  let server: Server;
  let seen: { authorization?: string; argv: string }[] = [];
  before(async () => {
    // A git host on loopback that records what git sends and answers "not found".
    server = createServer((req, res) => {
      seen.push({
        authorization: req.headers.authorization,
        argv: allCommandLines(),
      });
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => {
    server.close();
    tmp.cleanup();
  });

  const opts = (repoUrl: string, lines: string[] = []): WriteBackOptions => ({
    repoUrl,
    branch: 'main',
    kustomization: KUSTOMIZATION,
    image: IMAGE,
    tag: 'a1b2c3d',
    workDir: join(tmp.path, 'wb'),
    credentials: { httpsToken: TOKEN },
    logger: jsonLogger((line) => lines.push(line), 'debug'),
  });

  it('sends an HTTPS token as a Basic header, never in any process argv', async () => {
    seen = [];
    const { port } = server.address() as AddressInfo;
    const lines: string[] = [];
    await assert.rejects(writeBack(opts(`http://127.0.0.1:${port}/app.git`, lines)), (err: Error) => {
      assert.ok(hasCode(err, 'SOURCE_UNREACHABLE'), String(err));
      assert.ok(!JSON.stringify({ m: err.message, err }).includes(TOKEN));
      return true;
    });
    assert.ok(seen.length > 0, 'git reached the server');
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    assert.equal(seen[0]?.authorization, `Basic ${basic}`);
    // The scan sees git's http helper (its argv names the URL) while it waits for this answer.
    assert.ok(seen.every((s) => s.argv === '' || s.argv.includes(`127.0.0.1:${port}/app.git`)));
    assert.ok(
      seen.every((s) => !s.argv.includes(TOKEN)),
      'the token appeared in a command line',
    );
    assert.ok(!lines.join('').includes(TOKEN));
    assert.equal(redact(`Authorization: Basic ${basic}`).includes(basic), false);
  });

  it('keeps the token out of the error when the host refuses the connection', async () => {
    await assert.rejects(writeBack(opts('https://127.0.0.1:1/x.git')), (err: Error) => {
      assert.ok(hasCode(err, 'SOURCE_UNREACHABLE'), String(err));
      assert.match(err.message, /^cannot fetch https:\/\/127\.0\.0\.1:1\/x\.git: /);
      assert.ok(err instanceof WandolError && ![err.message, ...err.details].join('\n').includes(TOKEN));
      return true;
    });
    await assert.rejects(writeBack(opts(`https://x:${TOKEN}@127.0.0.1:1/x.git`)), (err: Error) => {
      assert.ok(!err.message.includes(TOKEN), err.message);
      return true;
    });
  });

  it('refuses a token for an address that is not http(s)', async () => {
    await assert.rejects(gitAuth('git@example.com:a/b.git', { httpsToken: TOKEN }), (err) =>
      hasCode(err, 'USAGE'),
    );
  });

  it('writes an SSH key to a private file named in GIT_SSH_COMMAND, and removes it', async () => {
    const auth = await gitAuth('git@example.com:a/b.git', {
      sshKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----',
    });
    const file = /-i '([^']+)'/.exec(auth.env.GIT_SSH_COMMAND ?? '')?.[1] ?? '';
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(readFileSync(file, 'utf8').endsWith('KEY-----\n'));
    assert.match(auth.env.GIT_SSH_COMMAND ?? '', /-o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new/);
    await auth.cleanup();
    assert.equal(existsSync(file), false);
  });

  it('quotes the key path for the shell that runs GIT_SSH_COMMAND', () => {
    assert.match(sshCommand("/tmp/it's here/id"), /^ssh -i '\/tmp\/it'\\''s here\/id' -o /);
  });
});
