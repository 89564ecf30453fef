import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ApiClient } from '../api/client.js';
import { WandolError } from '../core/errors.js';

const run = promisify(execFile);
/** The example app's name, its preferred route port and how often it is polled. */
export const EXAMPLE_APP = 'hello';
export const EXAMPLE_PORT = 8081;
const POLL_MS = 2000;
const IDENTITY = ['-c', 'user.name=wandol example', '-c', 'user.email=example@wandol.invalid'];
const ROUTE_PORT = /route:\s*\{\s*port:\s*(\d+)\s*\}/;

/** What setupExample made. */
export interface ExampleSetup {
  /** The bare repository the app is registered with. */
  remote: string;
  /** The working clone `npm run example:push` edits. */
  clone: string;
  port: number;
  appUrl: string;
  /** Things the user should know (a different port, an app registered now). */
  notes: string[];
}

/**
 * Makes the example app ready under `<dataDir>/example`: a bare repository `hello.git` and a clone
 * `hello` holding examples/hello committed as 'Initial commit' and pushed (once: an existing clone
 * with a commit is kept), then registers the app `hello` (poll 2 s) unless it exists. If the route
 * port 8081 is taken before the first commit, a free one is written into its wandol.yaml instead.
 * Idempotent. Throws on git or API errors.
 */
export async function setupExample(
  dataDir: string,
  client: Pick<ApiClient, 'listApps' | 'addApp'>,
  opts: { sourceDir?: string; preferredPort?: number } = {},
): Promise<ExampleSetup> {
  const root = join(dataDir, 'example');
  const remote = join(root, `${EXAMPLE_APP}.git`);
  const clone = join(root, EXAMPLE_APP);
  const notes: string[] = [];
  await mkdir(root, { recursive: true });
  if (!existsSync(remote)) await git(['init', '-q', '--bare', '-b', 'main', remote]);
  if (!existsSync(join(clone, '.git'))) {
    await git(['init', '-q', '-b', 'main', clone]);
    await git(['-C', clone, 'remote', 'add', 'origin', remote]);
  }
  if (!(await hasCommit(clone))) {
    await cp(opts.sourceDir ?? exampleSourceDir(), clone, { recursive: true });
    const port = await choosePort(opts.preferredPort ?? EXAMPLE_PORT);
    if (port !== (opts.preferredPort ?? EXAMPLE_PORT)) {
      await setRoutePort(join(clone, 'wandol.yaml'), port);
      notes.push(
        `port ${opts.preferredPort ?? EXAMPLE_PORT} is taken: the example serves on ${port} instead`,
      );
    }
    await git(['-C', clone, 'add', '-A']);
    await git(['-C', clone, ...IDENTITY, 'commit', '-q', '-m', 'Initial commit']);
    await git(['-C', clone, 'push', '-q', 'origin', 'HEAD:main']);
  }
  const port = await routePort(join(clone, 'wandol.yaml'));
  const apps = await client.listApps();
  if (!apps.some((app) => app.name === EXAMPLE_APP)) {
    await client.addApp({ name: EXAMPLE_APP, repo: remote, branch: 'main', pollMs: POLL_MS });
    notes.push(`registered the app ${EXAMPLE_APP} (repository ${remote})`);
  }
  return { remote, clone, port, appUrl: `http://127.0.0.1:${port}/`, notes };
}

/** examples/hello of the package: beside dist/ when compiled, beside src/ when run from source. */
export function exampleSourceDir(): string {
  for (const relative of ['../../../examples/hello/', '../../examples/hello/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(join(dir, 'wandol.yaml'))) return dir;
  }
  throw new WandolError('INTERNAL', 'the example app (examples/hello) is missing from this installation');
}

async function git(args: string[]): Promise<string> {
  try {
    return (await run('git', args, { encoding: 'utf8' })).stdout.trim();
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new WandolError('INTERNAL', `git ${args.join(' ')} failed: ${stderr || (err as Error).message}`, {
      cause: err,
    });
  }
}

async function hasCommit(clone: string): Promise<boolean> {
  return run('git', ['-C', clone, 'rev-parse', '--verify', '-q', 'HEAD']).then(
    () => true,
    () => false,
  );
}

async function routePort(yamlPath: string): Promise<number> {
  const match = ROUTE_PORT.exec(await readFile(yamlPath, 'utf8'));
  return Number(match?.[1] ?? EXAMPLE_PORT);
}

async function setRoutePort(yamlPath: string, port: number): Promise<void> {
  const text = await readFile(yamlPath, 'utf8');
  await writeFile(yamlPath, text.replace(ROUTE_PORT, `route: { port: ${port} }`));
}

/** `preferred` when it is free on 127.0.0.1, else a port the system picks. */
async function choosePort(preferred: number): Promise<number> {
  const tryListen = (port: number): Promise<number | undefined> =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0)) ?? preferred;
}
