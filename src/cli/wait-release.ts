import type { ApiClient } from '../api/client.js';
import type { ReleaseRecord } from '../api/wire.js';
import { sleep } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import { WandolError } from '../core/errors.js';

/**
 * Polls the release every `intervalMs` until it is no longer InProgress and returns it; calls
 * `onChange` with each new phase seen. Throws TIMEOUT after `timeoutMs` (the deploy goes on).
 */
export async function waitForRelease(
  client: Pick<ApiClient, 'release'>,
  app: string,
  id: number,
  opts: { timeoutMs: number; intervalMs?: number; onChange?: (release: ReleaseRecord) => void },
): Promise<ReleaseRecord> {
  const deadline = Date.now() + opts.timeoutMs;
  let seen = '';
  for (;;) {
    const release = await client.release(app, id);
    const step = `${release.status}/${release.phase}`;
    if (step !== seen) {
      seen = step;
      opts.onChange?.(release);
    }
    if (release.status !== 'InProgress') return release;
    if (Date.now() > deadline) {
      throw new WandolError(
        'TIMEOUT',
        `release ${id} of ${app} is still ${release.phase} after ${formatDuration(opts.timeoutMs)}: it goes on; watch it with \`wandol status ${app}\``,
      );
    }
    await sleep(opts.intervalMs ?? 500);
  }
}
