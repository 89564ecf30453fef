import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WandolError, hasCode } from '../core/errors.js';
import { execGit, gitEnv, gitReason, runGit } from './run-git.js';

describe('runGit', () => {
  it('returns stdout', async () => {
    assert.match(await runGit(['--version']), /^git version /);
  });

  it('throws with git’s reason, redacted', async () => {
    await assert.rejects(runGit(['ls-remote', 'https://bob:pa55word@127.0.0.1:1/r.git']), (err) => {
      assert.ok(err instanceof WandolError && err.code === 'INTERNAL');
      assert.match(err.message, /^git ls-remote failed \(exit 128\): unable to access/);
      assert.ok(![err.message, ...err.details].join('\n').includes('pa55word'));
      return true;
    });
  });

  it('writes input to stdin', async () => {
    const out = await runGit(['hash-object', '--stdin'], { input: 'hello\n' });
    assert.equal(out.trim(), 'ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('stops on timeout and on abort', async () => {
    // A constant alias that sleeps: a git command that does not end by itself.
    const forever = ['-c', 'alias.wait=!sleep 30', 'wait'];
    await assert.rejects(execGit(forever, { timeoutMs: 200 }), (err) => hasCode(err, 'TIMEOUT'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(execGit(forever, { signal: controller.signal }), (err) => hasCode(err, 'CANCELLED'));
  });
});

describe('gitEnv', () => {
  it('never prompts and ignores an inherited repository', () => {
    process.env.GIT_DIR = '/elsewhere';
    process.env.GIT_ASKPASS = '/usr/bin/ask';
    try {
      const env = gitEnv({ GIT_INDEX_FILE: '/tmp/i' });
      assert.equal(env.GIT_TERMINAL_PROMPT, '0');
      assert.equal(env.LC_ALL, 'C');
      assert.equal(env.GIT_DIR, undefined);
      assert.equal(env.GIT_ASKPASS, undefined);
      assert.equal(env.GIT_INDEX_FILE, '/tmp/i');
    } finally {
      delete process.env.GIT_DIR;
      delete process.env.GIT_ASKPASS;
    }
  });
});

describe('gitReason', () => {
  it('keeps git’s lines without prefixes, hints and boilerplate', () => {
    assert.equal(gitReason('hint: x\nfatal: repository not found\n'), 'repository not found');
    assert.equal(gitReason('error: a\nfatal: b'), 'a; b');
    const ssh = [
      'ssh: connect to host 127.0.0.1 port 1: Connection refused',
      'fatal: Could not read from remote repository.',
      '',
      'Please make sure you have the correct access rights',
      'and the repository exists.',
    ];
    assert.equal(
      gitReason(ssh.join('\n')),
      'ssh: connect to host 127.0.0.1 port 1: Connection refused; Could not read from remote repository',
    );
    assert.equal(gitReason(''), 'no output');
  });
});
