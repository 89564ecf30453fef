import { instanceLineFilter, readTail } from '../platform/log-tail.js';

/**
 * The last `lines` lines one instance wrote to the app log, rotated files included (oldest first);
 * [] when there is none. Used to show why an instance crashed.
 */
export async function instanceLogTail(file: string, instanceId: string, lines = 10): Promise<string[]> {
  const tail = await readTail(file, lines, instanceLineFilter(instanceId));
  return tail
    ? tail.data
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '')
    : [];
}
