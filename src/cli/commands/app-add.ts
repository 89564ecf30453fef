import { isAbsolute, resolve } from 'node:path';
import { assertAppName } from '../../core/names.js';
import { formatDuration } from '../../core/duration.js';
import type { AddAppRequest } from '../../api/wire.js';
import { durationFlag, parseCommandArgs, stringFlag, usage, type ArgSpec } from '../args.js';
import { println, printJson } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_OK } from '../exit-code.js';

const spec: ArgSpec = {
  command: 'wandol app add',
  options: {
    repo: { type: 'string' },
    branch: { type: 'string' },
    path: { type: 'string' },
    poll: { type: 'string' },
    json: { type: 'boolean' },
  },
  required: ['NAME'],
};

/** `wandol app add NAME --repo PATH|URL [--branch main] [--path .] [--poll 10s]`. */
export const appAdd: Command = {
  name: 'app add',
  summary: 'register an app: its repository is watched and deployed',
  usage: `usage: wandol app add NAME --repo PATH|URL [--branch main] [--path .] [--poll 10s] [--json] [--data DIR]

Registers the app NAME (a-z, 0-9, '-'): the agent watches the branch of the repository and
deploys each new commit, following the wandol.yaml at --path inside it.

  --repo PATH|URL   git repository: a local path (made absolute) or a URL
  --branch B        branch to follow (default: main)
  --path P          folder of the app inside the repository (default: .)
  --poll D          how often to fetch, e.g. 10s, 1m (default: the agent's, 10s)
  --json            print the registration as JSON
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(spec, args);
    const name = assertAppName(positionals[0] ?? '');
    const repo = stringFlag(values, 'repo');
    if (!repo) throw usage(spec, 'missing --repo PATH|URL');
    const request: AddAppRequest = { name, repo: normaliseRepo(repo, ctx.io.cwd) };
    const branch = stringFlag(values, 'branch');
    const path = stringFlag(values, 'path');
    const pollMs = durationFlag(spec, values, 'poll');
    if (branch !== undefined) request.branch = branch;
    if (path !== undefined) request.path = path;
    if (pollMs !== undefined) request.pollMs = pollMs;
    const client = await connectAgent(dataDirOf(values, ctx));
    const app = await client.addApp(request);
    if (values.json) printJson(ctx.io, app);
    else
      println(
        ctx.io.out,
        `added app ${app.name}: ${app.repo} (branch ${app.branch}, path ${app.path}, poll ${formatDuration(app.pollMs)})`,
      );
    return EXIT_OK;
  },
};

/** A URL (scheme:// or scp-like user@host:path) stays as given; a local path is made absolute. Pure. */
export function normaliseRepo(repo: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/@\s]+@[^/:\s]+:/.test(repo)) return repo;
  return isAbsolute(repo) ? repo : resolve(cwd, repo);
}
