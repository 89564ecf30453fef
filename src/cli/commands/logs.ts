import { once } from 'node:events';
import { assertAppName } from '../../core/names.js';
import { intFlag, parseCommandArgs, type ArgSpec } from '../args.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_OK } from '../exit-code.js';

const spec: ArgSpec = {
  command: 'wandol logs',
  options: {
    build: { type: 'boolean' },
    follow: { type: 'boolean', short: 'f' },
    tail: { type: 'string' },
    release: { type: 'string' },
  },
  required: ['NAME'],
};

/** `wandol logs NAME [--build] [-f|--follow] [--tail N] [--release R]`. */
export const logs: Command = {
  name: 'logs',
  summary: "an app's output (every instance, across deploys) or a build log",
  usage: `usage: wandol logs NAME [--build] [-f|--follow] [--tail N] [--release R] [--data DIR]

Prints the last lines of the app's output: every instance's stdout and stderr, prefixed, kept
across deploys and log rotations (older output is kept, within a bounded size per app).
With --build, the build log of the newest release (or of --release R) instead.
  -f, --follow    keep printing new lines until Ctrl-C
  --tail N        how many lines to start with (default 100)
  --release R     only the lines of release R's instances (see \`wandol history NAME\`);
                  with --build, the build log of release R
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(spec, args);
    const name = assertAppName(positionals[0] ?? '');
    const tail = intFlag(spec, values, 'tail', 100, 0, 100_000);
    const release = intFlag(spec, values, 'release', undefined, 1, Number.MAX_SAFE_INTEGER);
    const follow = values.follow === true;
    const client = await connectAgent(dataDirOf(values, ctx));
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    // Ctrl-C ends a follow normally; a closed stdout (`| head`) ends any stream.
    if (follow) process.once('SIGINT', stop);
    ctx.io.out.once('error', stop);
    try {
      const stream = await client.logs(name, {
        tail,
        follow,
        build: values.build === true,
        signal: abort.signal,
        ...(release === undefined ? {} : { release }),
      });
      for await (const chunk of stream) {
        if (abort.signal.aborted) break;
        if (!ctx.io.out.write(chunk))
          await Promise.race([once(ctx.io.out, 'drain'), once(abort.signal, 'abort')]);
      }
    } finally {
      process.off('SIGINT', stop);
      ctx.io.out.off('error', stop);
    }
    return EXIT_OK;
  },
};
