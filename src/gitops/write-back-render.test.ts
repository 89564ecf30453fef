import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { silentLogger } from '../core/logger.js';
import { GitMirror } from '../source/git-mirror.js';
import type { GitFixture } from '../../test/support/git-fixture.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { readChangedPaths } from './changed-paths.js';
import { isWriteBackCommit } from './loop-guard.js';
import { writeBack } from './write-back.js';
import { IMAGE, KUSTOMIZATION, appRepo, kubectlAvailable, options } from './write-back-fixture.js';

const hasKubectl = kubectlAvailable();

describe('writeBack, as Argo CD and Flux see it', () => {
  const tmp = tempDir();
  let fx: GitFixture;
  let mirror: GitMirror;
  before(() => {
    fx = appRepo(tmp.path);
    mirror = new GitMirror(join(tmp.path, 'mirror.git'), fx.remote, silentLogger);
  });
  after(() => tmp.cleanup());

  /** What the agent's poller would decide for the tip of main: build it, or skip a write-back. */
  const guardTip = async (): Promise<boolean> => {
    await mirror.sync();
    const sha = await mirror.resolveBranch('main');
    return isWriteBackCommit(
      await mirror.commitInfo(sha),
      await readChangedPaths(mirror.dir, sha),
      KUSTOMIZATION,
    );
  };

  it(
    'kubectl kustomize renders the written image',
    { skip: !hasKubectl && 'kubectl is not installed' },
    async () => {
      await writeBack(options(fx, tmp.path, 'a1b2c3d'));
      const checkout = join(tmp.path, 'checkout');
      execFileSync('git', ['clone', '-q', fx.remote, checkout]);
      const rendered = execFileSync('kubectl', ['kustomize', join(checkout, 'deploy')], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      const deployment = parseAllDocuments(rendered)
        .map((d) => d.toJS())
        .find((o) => o.kind === 'Deployment');
      assert.equal(deployment?.spec.template.spec.containers[0].image, `${IMAGE}:a1b2c3d`);
    },
  );

  it("the loop guard skips the bot's commit and a kustomization-only commit, not a normal one", async () => {
    await writeBack(options(fx, tmp.path, 'b2c3d4e'));
    assert.equal(await guardTip(), true, "the bot's write-back");
    fx.git('pull', '-q', '--rebase', 'origin', 'main');
    fx.commit({ 'server.js': 'console.log("v2")\n' }, 'a normal change');
    assert.equal(await guardTip(), false, 'a normal commit');
    fx.commit({ [KUSTOMIZATION]: 'resources: [deployment.yaml]\n' }, 'hand-edited kustomization');
    assert.equal(await guardTip(), true, 'a kustomization-only commit');
  });

  it('readChangedPaths counts what a merge brought in, and a root commit’s files', async () => {
    const root = fx.git('rev-list', '--max-parents=0', 'HEAD');
    await mirror.sync();
    assert.deepEqual((await readChangedPaths(mirror.dir, root)).sort(), [
      'deploy/deployment.yaml',
      KUSTOMIZATION,
      'server.js',
    ]);
    fx.git('checkout', '-q', '-b', 'feature');
    fx.commit({ 'feature.txt': 'f\n' }, 'feature', 'feature');
    fx.git('checkout', '-q', 'main');
    fx.git('merge', '-q', '--no-ff', '-m', 'merge feature', 'feature');
    fx.git('push', '-q', 'origin', 'main');
    await mirror.sync();
    assert.deepEqual(await readChangedPaths(mirror.dir, fx.git('rev-parse', 'HEAD')), ['feature.txt']);
  });
});
