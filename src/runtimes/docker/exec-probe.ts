import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';

/**
 * Runs `command` (an argument array, no shell) in a running container, as `docker exec` does, and
 * resolves true when it exits 0 within `timeoutMs` (Kubernetes exec-probe semantics). Output is
 * discarded. Never throws: an engine error or a missing container resolves false.
 */
export async function execInContainer(
  container: Docker.Container,
  command: string[],
  timeoutMs: number,
): Promise<boolean> {
  if (command.length === 0) return false;
  let timer: NodeJS.Timeout | undefined;
  let stream: Duplex | undefined;
  const run = async (): Promise<boolean> => {
    const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
    stream = (await exec.start({ Detach: false, Tty: false })) as Duplex;
    await new Promise<void>((resolve) => {
      stream?.once('end', resolve);
      stream?.once('close', resolve);
      stream?.once('error', () => resolve());
      stream?.resume();
    });
    return (await exec.inspect()).ExitCode === 0;
  };
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([run().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
    stream?.destroy();
  }
}
