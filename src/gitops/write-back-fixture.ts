import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../core/logger.js';
import { gitFixture, type GitFixture } from '../../test/support/git-fixture.js';
import type { WriteBackOptions } from './write-back.js';

/** Fixtures stay in the source tree (tests run from dist/). */
export const FIXTURES = new URL('../../../src/gitops/fixtures/', import.meta.url);
/** A fixture's text. */
export const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');

/** The image and kustomization path the write-back tests use. */
export const IMAGE = 'registry.example/hello';
export const KUSTOMIZATION = 'deploy/kustomization.yaml';

/** A minimal Deployment whose container uses IMAGE, for `kubectl kustomize`. */
export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: hello }
spec:
  selector: { matchLabels: { app: hello } }
  template:
    metadata: { labels: { app: hello } }
    spec:
      containers:
        - name: hello
          image: ${IMAGE}:latest
`;

/** An app repository (bare remote + a developer's clone) with code, a Deployment and a kustomization. */
export function appRepo(root: string): GitFixture {
  const fx = gitFixture(root);
  fx.commit(
    {
      'server.js': 'console.log("hi")\n',
      'deploy/deployment.yaml': DEPLOYMENT,
      [KUSTOMIZATION]: fixture('no-images.in.txt'),
    },
    'initial',
  );
  return fx;
}

/** Runs git against the bare remote and returns its trimmed output. */
export function remoteGit(fx: GitFixture, ...args: string[]): string {
  return execFileSync('git', [`--git-dir=${fx.remote}`, ...args], { encoding: 'utf8' }).trim();
}

/** WriteBack options for `fx` with the clone in `<root>/wb`, overridden by `extra`. */
export function options(
  fx: GitFixture,
  root: string,
  tag: string,
  extra: Partial<WriteBackOptions> = {},
): WriteBackOptions {
  return {
    repoUrl: fx.remote,
    branch: 'main',
    kustomization: KUSTOMIZATION,
    image: IMAGE,
    tag,
    workDir: join(root, 'wb'),
    logger: silentLogger,
    ...extra,
  };
}

/** Whether `kubectl version --client` works here. */
export function kubectlAvailable(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}
