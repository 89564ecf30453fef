/**
 * The steps of a rollout, as pure data: a strategy plans them, the sync executor applies them.
 * Steps up to and including `switch` decide the outcome of the deploy; the ones after it (keeping
 * the previous release warm, retiring it) run in the background of the app's next deploys.
 */
export type RolloutStep =
  /** Start `count` instances of the new release in `slot`, numbered from `from` (default 0). */
  | { kind: 'start'; slot: string; count: number; from?: number }
  /** Let the new release's ready instances take traffic beside the live one's (rolling update). */
  | { kind: 'admit' }
  /** Drain and stop `count` instances of the previous releases (rolling update). */
  | { kind: 'retireSome'; count: number }
  /** Wait until every new instance is ready; fail the release if one crashes or the deadline passes. */
  | { kind: 'awaitReady' }
  /** Point the route at the new release's ready instances, atomically; the release is live. */
  | { kind: 'switch' }
  /** Keep the previous releases running, out of the route, for an instant rollback. */
  | { kind: 'keepWarm'; ms: number }
  /** Drain (in-flight requests finish, up to the drain timeout), then stop these releases' instances. */
  | { kind: 'retire'; releaseIds: number[] };

/** What a strategy plans from. */
export interface RolloutInput {
  replicas: number;
  /** Releases with instances running now (the live one first), to be replaced. */
  previousReleaseIds: number[];
  /** Slot of the live release, if any (blue/green alternate). */
  liveSlot: string | null;
  scaleDownDelayMs: number;
  /** The runtime can run two releases side by side. */
  parallelReleases: boolean;
  /** Rolling update: instances above `replicas` while it runs, and instances that may be unavailable. */
  maxSurge: number;
  maxUnavailable: number;
  /** Instances the previous releases run now. */
  previousInstances: number;
}

/** The slot the next release takes: the other colour. Pure. */
export function nextSlot(liveSlot: string | null): string {
  return liveSlot === 'blue' ? 'green' : 'blue';
}

/** Index of the `switch` step: steps before and at it gate the deploy, later ones run after. */
export function switchIndex(steps: readonly RolloutStep[]): number {
  return steps.findIndex((s) => s.kind === 'switch');
}
