import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../../test/support/temp-dir.js';
import { readAgentInfo, removeAgentInfo, writeAgentInfo, type AgentInfo } from './agent-info.js';

describe('agent-info', () => {
  const dir = tempDir();
  after(() => dir.cleanup());
  const info: AgentInfo = {
    apiUrl: 'http://127.0.0.1:7070',
    token: 'tok',
    pid: 123,
    dataDir: dir.path,
    httpPort: 8080,
    startedAt: '2024-01-01T00:00:00.000Z',
  };

  it('reads a missing file as undefined', async () => {
    assert.equal(await readAgentInfo(join(dir.path, 'none')), undefined);
  });

  it('writes agent.json with mode 0600 (creating the data dir) and reads it back', async () => {
    const data = join(dir.path, 'nested', 'data');
    await writeAgentInfo(data, info);
    assert.equal(statSync(join(data, 'agent.json')).mode & 0o777, 0o600);
    assert.deepEqual(await readAgentInfo(data), info);
    await writeAgentInfo(data, { ...info, pid: 456 });
    assert.equal((await readAgentInfo(data))?.pid, 456);
    assert.equal(statSync(join(data, 'agent.json')).mode & 0o777, 0o600);
    await removeAgentInfo(data);
    assert.equal(await readAgentInfo(data), undefined);
  });

  it('refuses a file that is not an agent.json', async () => {
    writeFileSync(join(dir.path, 'agent.json'), '{"nope":1}');
    await assert.rejects(readAgentInfo(dir.path), /not a valid agent.json/);
  });
});
