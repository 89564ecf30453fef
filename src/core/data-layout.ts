import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Longest unix socket path Linux accepts is 107 bytes; stay clear of it. */
const MAX_SOCKET_PATH = 100;

/**
 * Where everything lives under a data dir. Pure path arithmetic: nothing is created here.
 * `tmpDir` is where the data-plane socket goes when the data dir is too deep for a unix socket path.
 */
export function dataLayout(dataDir: string, tmpDir = '/tmp') {
  const appDir = (app: string): string => join(dataDir, 'apps', app);
  const preferredSocket = join(dataDir, 'run', 'dataplane.sock');
  const socketHash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  return {
    dataDir,
    agentJson: join(dataDir, 'agent.json'),
    database: join(dataDir, 'wandol.db'),
    /** The key that seals secrets at rest (32 random bytes, mode 0600). */
    secretKey: join(dataDir, 'secret.key'),
    runDir: join(dataDir, 'run'),
    dataplaneSocket:
      preferredSocket.length <= MAX_SOCKET_PATH ? preferredSocket : join(tmpDir, `wandol-${socketHash}.sock`),
    dataplanePid: join(dataDir, 'run', 'dataplane.pid'),
    /** The supervisor's record of its children, to clean up orphans after a data-plane crash. */
    dataplaneState: join(dataDir, 'run', 'instances.json'),
    logsDir: join(dataDir, 'logs'),
    agentLog: join(dataDir, 'logs', 'agent.log'),
    dataplaneLog: join(dataDir, 'logs', 'dataplane.log'),
    appDir,
    mirror: (app: string): string => join(appDir(app), 'mirror.git'),
    releasesDir: (app: string): string => join(appDir(app), 'releases'),
    /** The immutable release folder of one commit. */
    releaseDir: (app: string, sha: string): string => join(appDir(app), 'releases', sha),
    appLogsDir: (app: string): string => join(appDir(app), 'logs'),
    /** Dependency folders of `build.cache`, keyed by their lockfiles' hash. */
    buildCache: (app: string): string => join(appDir(app), 'cache'),
    /** stdout/stderr of every instance of the app, one prefixed line each; survives deploys. */
    appLog: (app: string): string => join(appDir(app), 'logs', 'app.log'),
    buildLog: (app: string, sha: string): string => join(appDir(app), 'logs', `build-${sha}.log`),
  };
}

/** The paths of one data dir. */
export type DataLayout = ReturnType<typeof dataLayout>;
