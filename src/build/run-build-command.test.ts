import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WandolError, hasCode } from '../core/errors.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { waitFor } from '../../test/support/wait-for.js';
import { runBuildCommand } from './run-build-command.js';

/** True while `pid` runs (a zombie waiting for its reaper counts as gone). */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('runBuildCommand', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());
  const logFile = (name: string): string => join(tmp.path, 'logs', 'deep', `${name}.log`);

  it('runs the command in cwd with env, logging header, output and footer', async () => {
    const command = 'echo "built for $TARGET" > out.txt && echo to-stdout && echo to-stderr >&2';
    const log = logFile('ok');
    const { durationMs } = await runBuildCommand({
      command,
      cwd: tmp.path,
      env: { TARGET: 'prod' },
      logFile: log,
      timeoutMs: 10_000,
    });
    assert.ok(durationMs >= 0);
    assert.equal(readFileSync(join(tmp.path, 'out.txt'), 'utf8'), 'built for prod\n');
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], `$ ${command}`);
    assert.deepEqual(lines.slice(1, 3).sort(), ['to-stderr', 'to-stdout']);
    assert.match(lines[3] ?? '', /^# exit 0 after \d/);
  });

  it('appends to an existing log', async () => {
    const log = logFile('twice');
    await runBuildCommand({ command: 'echo one', cwd: tmp.path, logFile: log, timeoutMs: 10_000 });
    await runBuildCommand({ command: 'echo two', cwd: tmp.path, logFile: log, timeoutMs: 10_000 });
    assert.match(readFileSync(log, 'utf8'), /^\$ echo one\none\n# exit 0 .*\n\$ echo two\ntwo\n# exit 0 /);
  });

  it('throws BUILD_FAILED with the last 20 lines of output', async () => {
    const log = logFile('fail');
    const command = 'for i in $(seq 1 30); do echo line $i; done; exit 3';
    await assert.rejects(
      runBuildCommand({ command, cwd: tmp.path, logFile: log, timeoutMs: 10_000, app: 'hello' }),
      (err) => {
        assert.ok(err instanceof WandolError && err.code === 'BUILD_FAILED');
        assert.equal(err.message, 'build command exited with code 3; see `wandol logs hello --build`');
        assert.deepEqual(
          err.details,
          Array.from({ length: 20 }, (_, i) => `line ${i + 11}`),
        );
        return true;
      },
    );
    assert.match(readFileSync(log, 'utf8'), /# exit 3 after /);
  });

  it('on timeout stops the whole process group and throws TIMEOUT', async () => {
    const pidFile = join(tmp.path, 'grandchild.pid');
    const command = `sleep 60 & echo $! > ${JSON.stringify(pidFile)}; echo started; wait`;
    await assert.rejects(
      runBuildCommand({ command, cwd: tmp.path, logFile: logFile('timeout'), timeoutMs: 500 }),
      (err) => {
        assert.ok(err instanceof WandolError && err.code === 'TIMEOUT');
        assert.match(err.message, /no result within 500ms and was stopped; raise build\.timeout/);
        assert.deepEqual(err.details, ['started']);
        return true;
      },
    );
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor('the grandchild to be gone', () => !alive(pid), 5_000);
  });

  it('kills a build that ignores SIGTERM after the grace period', async () => {
    const pidFile = join(tmp.path, 'stubborn.pid');
    const command = `trap '' TERM; sh -c 'trap "" TERM; sleep 60' & echo $! > ${JSON.stringify(pidFile)}; wait`;
    const started = Date.now();
    await assert.rejects(
      runBuildCommand({ command, cwd: tmp.path, logFile: logFile('stubborn'), timeoutMs: 300 }),
      (err) => hasCode(err, 'TIMEOUT'),
    );
    assert.ok(Date.now() - started >= 5_000, 'SIGKILL only after the 5 s grace');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor('the stubborn child to be gone', () => !alive(pid), 5_000);
  });

  it('kills a build over its memory budget with BUILD_FAILED, and lets one under it pass', async () => {
    const log = logFile('memory');
    const hog = `echo allocating; node -e "const a=[];setInterval(()=>a.push(Buffer.alloc(20e6,1)),50)"`;
    const started = Date.now();
    await assert.rejects(
      runBuildCommand({
        command: hog,
        cwd: tmp.path,
        logFile: log,
        timeoutMs: 60_000,
        memoryBytes: 64 * 2 ** 20,
      }),
      (err) => {
        assert.ok(err instanceof WandolError && err.code === 'BUILD_FAILED');
        assert.equal(
          err.message,
          "build used more than 64 MiB of memory (build.memory) and was stopped; raise build.memory or reduce the build's memory use",
        );
        assert.deepEqual(err.details, ['allocating']);
        return true;
      },
    );
    assert.ok(Date.now() - started < 10_000, 'stopped quickly');
    assert.match(
      readFileSync(log, 'utf8'),
      /# stopped: used more than 64 MiB of memory \(build\.memory\) after /,
    );
    const fine = await runBuildCommand({
      command: `node -e "const b=Buffer.alloc(20e6,1); setTimeout(()=>console.log(b.length), 1200)"`,
      cwd: tmp.path,
      logFile: logFile('memory-ok'),
      timeoutMs: 60_000,
      memoryBytes: 256 * 2 ** 20,
    });
    assert.ok(fine.durationMs >= 1000);
  });

  it('throws CANCELLED when aborted, and before starting when already aborted', async () => {
    const controller = new AbortController();
    const marker = join(tmp.path, 'never.txt');
    setTimeout(() => controller.abort(new Error('superseded by a newer commit')), 200);
    await assert.rejects(
      runBuildCommand({
        command: `sleep 30; touch ${JSON.stringify(marker)}`,
        cwd: tmp.path,
        logFile: logFile('abort'),
        timeoutMs: 60_000,
        signal: controller.signal,
      }),
      (err) => {
        assert.ok(err instanceof WandolError && err.code === 'CANCELLED');
        assert.equal(err.message, 'build cancelled: superseded by a newer commit');
        return true;
      },
    );
    await assert.rejects(
      runBuildCommand({
        command: 'true',
        cwd: tmp.path,
        logFile: logFile('abort2'),
        timeoutMs: 1000,
        signal: controller.signal,
      }),
      (err) => hasCode(err, 'CANCELLED'),
    );
    assert.equal(existsSync(marker), false);
  });

  it('is cancelled by an abort that comes while its log is being opened, before the command starts', async () => {
    const controller = new AbortController();
    const build = runBuildCommand({
      command: 'sleep 5',
      cwd: tmp.path,
      logFile: logFile('abort-early'),
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    controller.abort(new Error('wandol cancel')); // the call is past its first check, at an await
    await assert.rejects(build, (err) => hasCode(err, 'CANCELLED'));
  });
});
