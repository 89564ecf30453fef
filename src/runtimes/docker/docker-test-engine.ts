import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { LABEL } from './container-spec.js';

/** Why Docker tests are skipped on a machine without an engine. */
export const NO_DOCKER = 'no Docker engine: apt-get install docker.io and start dockerd';
/** The tiny base image (busybox) and the Node one that scripts/docker-base-images.sh makes. */
export const BUSYBOX_IMAGE = 'local/busybox:1';
export const NODE_BASE_IMAGE = 'local/node-base:20';

// This file runs from src/runtimes/docker (ts) or dist/src/runtimes/docker (js): find the script
// from the repository root, which holds package.json in both cases.
const SCRIPT_CANDIDATES = [
  '../../../scripts/docker-base-images.sh',
  '../../../../scripts/docker-base-images.sh',
];

let checked: string | undefined | null = null;

/**
 * For tests against the real engine: undefined when `docker info` answers and the base images
 * exist (made with scripts/docker-base-images.sh when missing), else the reason to skip. Cached.
 */
export function dockerSkipReason(): string | undefined {
  if (checked !== null) return checked;
  const info = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 });
  if (info.status !== 0) return (checked = NO_DOCKER);
  const have = (image: string): boolean =>
    spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore' }).status === 0;
  if (have(BUSYBOX_IMAGE) && have(NODE_BASE_IMAGE)) return (checked = undefined);
  const script = SCRIPT_CANDIDATES.map((p) => fileURLToPath(new URL(p, import.meta.url))).find(existsSync);
  const made = script ? spawnSync('bash', [script], { stdio: 'inherit', timeout: 300_000 }).status : 1;
  checked = made === 0 ? undefined : `base images missing and ${script ?? 'docker-base-images.sh'} failed`;
  return checked;
}

/** Removes every container and volume labelled with `scope` (tests' own, whatever state). */
export async function removeScope(docker: Docker, scope: string): Promise<void> {
  const filters = { label: [`${LABEL.scope}=${scope}`] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  const { Volumes } = await docker.listVolumes({ filters });
  await Promise.all(
    (Volumes ?? []).map((v) =>
      docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined),
    ),
  );
}

/** Removes every tag of `repository` (`<app>:*`), ignoring images still in use. */
export async function removeImages(docker: Docker, repository: string): Promise<void> {
  const images = await docker.listImages({ filters: { reference: [`${repository}:*`] } });
  for (const image of images) {
    for (const tag of image.RepoTags ?? [])
      await docker
        .getImage(tag)
        .remove()
        .catch(() => undefined);
  }
}
