import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../../test/support/temp-dir.js';
import { readTail } from './log-tail.js';

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
