import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A bare remote plus a working clone, as a user's repository would be. */
export interface GitFixture {
  /** Path of the bare repository: what `wandol app add --repo` is given. */
  remote: string;
  /** Path of the working clone. */
  work: string;
  /** Writes files (path → content; null deletes) in the clone, commits them, pushes; returns the sha. */
  commit(files: Record<string, string | null>, message?: string, branch?: string): string;
  /** Runs git in the clone with an argument array and returns its trimmed output. */
  git(...args: string[]): string;
}

const IDENTITY = ['-c', 'user.name=Test User', '-c', 'user.email=test@example.invalid'];

/** Creates `<root>/<name>.git` (bare, default branch main) and a clone at `<root>/<name>`. */
export function gitFixture(root: string, name = 'app'): GitFixture {
  const remote = join(root, `${name}.git`);
  const work = join(root, name);
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
  execFileSync('git', ['init', '-q', '-b', 'main', work]);
  execFileSync('git', ['-C', work, 'remote', 'add', 'origin', remote]);
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', work, ...IDENTITY, ...args], { encoding: 'utf8' }).trim();
  return {
    remote,
    work,
    git,
    commit(files, message = 'change', branch = 'main') {
      for (const [path, content] of Object.entries(files)) {
        const full = join(work, path);
        if (content === null) rmSync(full, { force: true });
        else {
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, content);
        }
      }
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      git('push', '-q', 'origin', `HEAD:${branch}`);
      return git('rev-parse', 'HEAD');
    },
  };
}
