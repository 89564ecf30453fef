import { assertAppName } from '../../core/names.js';
import { parseCommandArgs, type ArgSpec } from '../args.js';
import { println, printJson } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_OK } from '../exit-code.js';
import { historyTable } from '../format.js';

const spec: ArgSpec = {
  command: 'wandol history',
  options: { json: { type: 'boolean' } },
  required: ['NAME'],
};

/** `wandol history NAME [--json]`. */
export const history: Command = {
  name: 'history',
  summary: "an app's releases, newest first, with the traffic of each cut-over",
  usage: `usage: wandol history NAME [--json] [--data DIR]

The releases of NAME, newest first: revision, outcome, trigger, when, how long, and the traffic
through the router during its cut-over (requests, failed requests, p99 latency). * marks the live one.
  --json   print the release records as a JSON array
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(spec, args);
    const name = assertAppName(positionals[0] ?? '');
    const releases = await (await connectAgent(dataDirOf(values, ctx))).releases(name);
    if (values.json) printJson(ctx.io, releases);
    else if (releases.length === 0) println(ctx.io.out, `no releases of ${name} yet`);
    else println(ctx.io.out, historyTable(releases, Date.now()));
    return EXIT_OK;
  },
};
