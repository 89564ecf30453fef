import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../../../test/support/temp-dir.js';
import { jsonLogger, silentLogger } from '../../core/logger.js';
import { rotatedPath, rotateFiles } from './log-rotation.js';
import { LogSinks } from './log-sinks.js';

const dir = tempDir();
after(() => dir.cleanup());
let n = 0;
const fresh = (): string => join(dir.path, `app-${n++}`, 'app.log');

/** The live file and its rotated files, oldest first, as they are on disk. */
function files(file: string): string[] {
  const names = readdirSync(join(file, '..')).filter((name) => name.startsWith('app.log'));
  const rank = (name: string): number => (name === 'app.log' ? 0 : Number(name.slice('app.log.'.length)));
  return names.sort((a, b) => rank(b) - rank(a)).map((name) => join(file, '..', name));
}

const line = (i: number, writer: number): string =>
  `2025-01-01T00:00:00.000Z hello-r1-blue-${writer} out | line ${i} ${'x'.repeat(i % 97)}\n`;

describe('LogSinks ordering', () => {
  it('a file released and acquired again at once gets the new lines after the old ones', async () => {
    const file = fresh();
    const sinks = new LogSinks(silentLogger, { maxBytes: 1 << 30, keep: 1 });
    const first = sinks.acquire(file);
    const written: string[] = [];
    for (let i = 0; i < 5000; i++) written.push(line(i, 0)); // queued: not on disk yet
    for (const text of written) first.write(text);
    first.release(); // an instance exits and its replacement starts at once
    const second = sinks.acquire(file);
    second.write('after the restart\n');
    second.release();
    await sinks.closeAll();
    assert.equal(readFileSync(file, 'utf8'), written.join('') + 'after the restart\n');
  });
});

describe('LogSinks rotation', () => {
  it('keeps at most keep+1 files of at most maxBytes, with whole lines and the newest intact', async () => {
    const file = fresh();
    const sinks = new LogSinks(silentLogger, { maxBytes: 20_000, keep: 3 });
    const writers = [0, 1, 2].map(() => sinks.acquire(file));
    const written: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const text = line(i, i % 3);
      writers[i % 3]!.write(text);
      written.push(text);
      // Let the streams flush now and then, as real output arrives in bursts.
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    writers.forEach((w) => w.release());
    await sinks.closeAll();

    const paths = files(file);
    assert.deepEqual(
      paths.map((p) => p.slice(p.lastIndexOf('/') + 1)),
      ['app.log.3', 'app.log.2', 'app.log.1', 'app.log'],
    );
    for (const path of paths) {
      assert.ok(statSync(path).size <= 20_000, `${path} is ${statSync(path).size} bytes`);
      const text = readFileSync(path, 'utf8');
      assert.ok(text.endsWith('\n'), `${path} ends inside a line`);
      for (const l of text.slice(0, -1).split('\n')) assert.match(l, / hello-r1-blue-\d out \| line \d+ x*$/);
    }
    const kept = paths.map((p) => readFileSync(p, 'utf8')).join('');
    const keptLines = kept.split('\n').length - 1;
    assert.ok(kept.length > 3 * 15_000, 'the rotated files are nearly full');
    assert.equal(kept, written.slice(-keptLines).join(''), 'the newest lines, in order, none lost or split');
  });

  it('counts what the file already held when it is reopened (after a restart)', async () => {
    const file = fresh();
    const first = new LogSinks(silentLogger, { maxBytes: 1000, keep: 2 });
    const a = first.acquire(file);
    a.write('a'.repeat(899) + '\n');
    a.release();
    await first.closeAll();
    const second = new LogSinks(silentLogger, { maxBytes: 1000, keep: 2 });
    const b = second.acquire(file);
    b.write('b'.repeat(199) + '\n');
    b.release();
    await second.closeAll();
    assert.equal(readFileSync(rotatedPath(file, 1), 'utf8'), 'a'.repeat(899) + '\n');
    assert.equal(readFileSync(file, 'utf8'), 'b'.repeat(199) + '\n');
  });

  it('writes a line longer than maxBytes whole, in a file of its own', async () => {
    const file = fresh();
    const sinks = new LogSinks(silentLogger, { maxBytes: 100, keep: 5 });
    const sink = sinks.acquire(file);
    for (const text of ['short\n', 'y'.repeat(300) + '\n', 'after\n']) sink.write(text);
    sink.release();
    await sinks.closeAll();
    assert.deepEqual(
      files(file).map((p) => readFileSync(p, 'utf8')),
      ['short\n', 'y'.repeat(300) + '\n', 'after\n'],
    );
  });

  it('reopens without shifting when someone else rotated the file', async () => {
    const file = fresh();
    const sinks = new LogSinks(silentLogger, { maxBytes: 50, keep: 3 });
    const sink = sinks.acquire(file);
    sink.write('one '.repeat(10) + '\n');
    await new Promise((r) => setTimeout(r, 20));
    rotateFiles(file, 3); // another writer rotated: our stream now writes into app.log.1
    writeFileSync(file, 'theirs\n');
    sink.write('two '.repeat(10) + '\n');
    sink.release();
    await sinks.closeAll();
    assert.equal(readFileSync(rotatedPath(file, 1), 'utf8'), 'one '.repeat(10) + '\n');
    assert.equal(readFileSync(file, 'utf8'), 'theirs\n' + 'two '.repeat(10) + '\n');
  });

  it('logs a rotation that fails and keeps writing', async () => {
    const file = fresh();
    const logs: string[] = [];
    const sinks = new LogSinks(
      jsonLogger((l) => logs.push(l)),
      { maxBytes: 10, keep: 1 },
    );
    const sink = sinks.acquire(file);
    sink.write('0123456789\n');
    // A folder where app.log.1 should go: the rename fails.
    mkdirSync(rotatedPath(file, 1));
    writeFileSync(join(rotatedPath(file, 1), 'x'), 'x');
    sink.write('more\n');
    sink.release();
    await sinks.closeAll();
    assert.match(logs.join(''), /InstanceLogRotateFailed/);
    assert.equal(readFileSync(file, 'utf8'), '0123456789\nmore\n');
  });
});
