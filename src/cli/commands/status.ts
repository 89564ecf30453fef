import { assertAppName } from '../../core/names.js';
import { parseCommandArgs, type ArgSpec } from '../args.js';
import { println, printJson } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_OK } from '../exit-code.js';
import { statusDetail, statusTable } from '../format.js';

const spec: ArgSpec = {
  command: 'wandol status',
  options: { json: { type: 'boolean' } },
  optional: ['NAME'],
};

/** `wandol status [NAME] [--json]`. */
export const status: Command = {
  name: 'status',
  summary: 'sync, health, revision, replicas and URL of every app, or one in detail',
  usage: `usage: wandol status [NAME] [--json] [--data DIR]

Without NAME: one line per app (sync, health, live revision, ready/desired replicas, URL).
With NAME: the app in detail, with the reasons, its last error and its instances.
  --json   print AppStatus objects (an array without NAME), instances included
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(spec, args);
    const name = positionals[0] === undefined ? undefined : assertAppName(positionals[0]);
    const client = await connectAgent(dataDirOf(values, ctx));
    if (name !== undefined) {
      const one = await client.status(name);
      if (values.json) printJson(ctx.io, one);
      else println(ctx.io.out, statusDetail(one, Date.now()));
      return EXIT_OK;
    }
    const all = await client.statuses();
    if (values.json) printJson(ctx.io, all);
    else if (all.length === 0)
      println(ctx.io.out, 'no apps yet: add one with `wandol app add NAME --repo PATH|URL`');
    else println(ctx.io.out, statusTable(all));
    return EXIT_OK;
  },
};
