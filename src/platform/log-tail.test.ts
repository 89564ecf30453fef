import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { tempDir } from '../../test/support/temp-dir.js';
import { waitFor } from '../../test/support/wait-for.js';
import { silentLogger } from '../core/logger.js';
// The writer of app logs (the process runtime's sink), to read what it really rotates.
import { LogSinks } from '../runtimes/process/log-sinks.js';
import { followFile, instanceLineFilter, readTail, releaseLineFilter, type LineFilter } from './log-tail.js';

describe('readTail', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  const long = Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n') + '\n';
  const cases: [string, string, number, string][] = [
    ['empty file', '', 5, ''],
    ['fewer lines than asked', 'a\nb\n', 5, 'a\nb\n'],
    ['exactly the last lines', 'a\nb\nc\n', 2, 'b\nc\n'],
    ['no final newline', 'a\nb\nc', 2, 'b\nc'],
    ['zero lines', 'a\nb\n', 0, ''],
    ['blank lines count', 'a\n\n\nb\n', 3, '\n\nb\n'],
    ['across read chunks', long, 2, 'line 19998\nline 19999\n'],
  ];
  for (const [label, content, lines, expected] of cases) {
    it(label, async () => {
      const file = join(dir.path, `${label.replace(/\W/g, '-')}.log`);
      writeFileSync(file, content);
      const tail = await readTail(file, lines);
      assert.equal(tail?.data.toString(), expected);
      assert.equal(tail?.end, Buffer.byteLength(content));
    });
  }
  it('returns undefined for a missing file', async () => {
    assert.equal(await readTail(join(dir.path, 'missing.log'), 3), undefined);
  });
});

const stamp = '2025-01-01T00:00:00.000Z';
/** An app log line as the process runtime writes it. */
const logLine = (release: number, i: number): string => `${stamp} hello-r${release}-blue-1 out | line ${i}\n`;

describe('readTail across rotated files', () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  it('reads the last lines over app.log.K … app.log.1, app.log, in order', async () => {
    const file = join(dir.path, 'app.log');
    writeFileSync(`${file}.3`, 'a1\na2\n');
    writeFileSync(`${file}.2`, 'b1\nb2\n');
    writeFileSync(`${file}.1`, 'c1\n');
    writeFileSync(file, 'd1\nd2\n');
    assert.equal((await readTail(file, 4))?.data.toString(), 'b2\nc1\nd1\nd2\n');
    assert.equal((await readTail(file, 100))?.data.toString(), 'a1\na2\nb1\nb2\nc1\nd1\nd2\n');
    assert.equal((await readTail(file, 2))?.data.toString(), 'd1\nd2\n');
    writeFileSync(file, '');
    const empty = await readTail(file, 1);
    assert.equal(empty?.data.toString(), 'c1\n');
    assert.equal(empty?.end, 0);
  });

  it('keeps only the lines of one release with the release filter', async () => {
    const file = join(dir.path, 'filtered.log');
    writeFileSync(`${file}.1`, logLine(1, 1) + logLine(12, 2) + logLine(1, 3));
    // hello-r1- must not match hello-r12- nor another app whose name starts alike.
    writeFileSync(
      file,
      logLine(2, 4) + logLine(1, 5) + `${stamp} hello-r1x-blue-1 out | no\n` + logLine(12, 6),
    );
    const tail = await readTail(file, 2, releaseLineFilter('hello', 1));
    assert.equal(tail?.data.toString(), logLine(1, 3) + logLine(1, 5));
    const all = await readTail(file, 10, releaseLineFilter('hello', 12));
    assert.equal(all?.data.toString(), logLine(12, 2) + logLine(12, 6));
  });

  it('keeps only the lines one instance wrote with the instance filter', async () => {
    const file = join(dir.path, 'instance.log');
    const mention = `${stamp} hello-r2-blue-1 out | restarting hello-r1-blue-1 now\n`;
    const longer = `${stamp} hello-r1-blue-10 out | not this one\n`;
    writeFileSync(file, logLine(1, 1) + mention + longer + logLine(1, 2));
    const tail = await readTail(file, 10, instanceLineFilter('hello-r1-blue-1'));
    assert.equal(tail?.data.toString(), logLine(1, 1) + logLine(1, 2));
  });

  it('reads what the log sink rotated under real writes', async () => {
    const file = join(dir.path, 'sink', 'app.log');
    const sinks = new LogSinks(silentLogger, { maxBytes: 8_000, keep: 3 });
    const sink = sinks.acquire(file);
    const written = Array.from({ length: 3000 }, (_, i) => logLine(1 + (i % 2), i));
    for (const l of written) sink.write(l);
    sink.release();
    await sinks.closeAll();
    assert.equal((await readTail(file, 250))?.data.toString(), written.slice(-250).join(''));
    const everything = (await readTail(file, 100_000))?.data.toString() ?? '';
    assert.ok(written.join('').endsWith(everything) && everything.length > 3 * 7_000);
    const odd = (await readTail(file, 10, releaseLineFilter('hello', 2)))?.data.toString();
    assert.equal(
      odd,
      written
        .filter((_, i) => i % 2 === 1)
        .slice(-10)
        .join(''),
    );
  });
});

describe('followFile', () => {
  const dir = tempDir();
  after(() => dir.cleanup());

  /** Follows `file` from its tail; returns what was streamed so far and a stop function. */
  async function follow(file: string, filter?: LineFilter) {
    const tail = await readTail(file, 0);
    const abort = new AbortController();
    let got = '';
    const done = followFile(
      file,
      tail?.end ?? 0,
      async (data) => void (got += data.toString()),
      abort.signal,
      20,
      { ino: tail?.ino, filter },
    );
    following.add(abort);
    return { got: () => got, stop: () => (abort.abort(), done) };
  }
  // A test that fails before it stops its follower must not keep the test process alive.
  const following = new Set<AbortController>();
  afterEach(() => {
    for (const abort of following) abort.abort();
    following.clear();
  });

  it('streams across rotations by the log sink: every line once, in order', async () => {
    const file = join(dir.path, 'rotating', 'app.log');
    const sinks = new LogSinks(silentLogger, { maxBytes: 2_000, keep: 5 });
    const sink = sinks.acquire(file);
    sink.write('before the follow\n');
    // The sink writes asynchronously: the follow starts after this line.
    await waitFor('the first line on disk', () => existsSync(file) && readFileSync(file, 'utf8') !== '');
    const f = await follow(file);
    const written: string[] = [];
    const streamedAll = () => f.got().length >= written.join('').length;
    for (let i = 0; i < 300; i++) {
      written.push(logLine(1, i));
      sink.write(logLine(1, i));
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
      // About two rotations at a time: a follower more than `keep` files behind loses the oldest
      // (the disk bound); that is not what this test is about, and a loaded machine could get there.
      if (i % 60 === 59) await waitFor(`lines up to ${i} streamed`, streamedAll);
    }
    await waitFor('every line streamed', streamedAll);
    await f.stop();
    sink.release();
    await sinks.closeAll();
    assert.equal(f.got(), written.join(''));
    assert.ok(readdirSync(join(dir.path, 'rotating')).includes('app.log.5'), 'the log did rotate');
  });

  it('streams what is appended after a rotation, and a file rotated more than once between polls', async () => {
    const file = join(dir.path, 'manual.log');
    writeFileSync(file, 'old\n');
    const f = await follow(file);
    appendFileSync(file, 'one\n');
    await waitFor('one', () => f.got() === 'one\n');
    appendFileSync(file, 'two\n'); // not yet read when the file is rotated away
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'three\n');
    await waitFor('three', () => f.got() === 'one\ntwo\nthree\n');
    // Two rotations at once (no poll in between): four is in .2, five in .1, six in the live file.
    appendFileSync(file, 'four\n');
    renameSync(`${file}.1`, `${file}.2`);
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'five\n');
    renameSync(`${file}.2`, `${file}.3`);
    renameSync(`${file}.1`, `${file}.2`);
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'six\n');
    await waitFor('six', () => f.got().endsWith('six\n'));
    await f.stop();
    assert.equal(f.got(), 'one\ntwo\nthree\nfour\nfive\nsix\n');
  });

  it('a follower left behind by more rotations than are kept reads its file and every one left', async () => {
    const file = join(dir.path, 'behind.log');
    writeFileSync(file, '');
    const f = await follow(file);
    appendFileSync(file, 'one\n');
    await waitFor('one', () => f.got() === 'one\n');
    appendFileSync(file, 'two\n');
    // Seven rotations with five kept, all before the next poll: r1 is deleted unread, the followed
    // file too (its open handle still reads it).
    for (let k = 1; k <= 7; k++) {
      rmSync(`${file}.5`, { force: true });
      for (let n = 4; n >= 1; n--)
        if (existsSync(`${file}.${n}`)) renameSync(`${file}.${n}`, `${file}.${n + 1}`);
      renameSync(file, `${file}.1`);
      writeFileSync(file, `r${k}\n`);
    }
    await waitFor('r7', () => f.got().endsWith('r7\n'));
    await f.stop();
    assert.equal(f.got(), 'one\ntwo\nr2\nr3\nr4\nr5\nr6\nr7\n');
  });

  it('finds the tailed file when it was rotated before the follow began', async () => {
    const file = join(dir.path, 'early.log');
    writeFileSync(file, 'a\n');
    const tail = await readTail(file, 1);
    appendFileSync(file, 'b\n');
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'c\n');
    const abort = new AbortController();
    let got = '';
    const done = followFile(file, tail?.end ?? 0, async (d) => void (got += d), abort.signal, 20, {
      ino: tail?.ino,
    });
    await waitFor('b and c', () => got === 'b\nc\n');
    abort.abort();
    await done;
  });

  it('with a filter, writes only whole lines of the release', async () => {
    const file = join(dir.path, 'release.log');
    writeFileSync(file, '');
    const f = await follow(file, releaseLineFilter('hello', 3));
    const half = logLine(3, 1).slice(0, 20);
    appendFileSync(file, logLine(2, 0) + half);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(f.got(), '', 'a partial line waits for its end');
    appendFileSync(file, logLine(3, 1).slice(20) + logLine(4, 2) + logLine(3, 3));
    await waitFor('the release lines', () => f.got() === logLine(3, 1) + logLine(3, 3));
    await f.stop();
  });
});
