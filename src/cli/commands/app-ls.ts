import { parseCommandArgs, type ArgSpec } from '../args.js';
import { println, printJson } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_OK } from '../exit-code.js';
import { appsTable } from '../format.js';

const spec: ArgSpec = { command: 'wandol app ls', options: { json: { type: 'boolean' } } };

/** `wandol app ls [--json]`. */
export const appLs: Command = {
  name: 'app ls',
  summary: 'list the registered apps',
  usage: `usage: wandol app ls [--json] [--data DIR]

Lists the registered apps: repository, branch, path and poll interval.
  --json   print the registrations as a JSON array
`,
  async run(args, ctx) {
    const { values } = parseCommandArgs(spec, args);
    const apps = await (await connectAgent(dataDirOf(values, ctx))).listApps();
    if (values.json) printJson(ctx.io, apps);
    else if (apps.length === 0)
      println(ctx.io.out, 'no apps yet: add one with `wandol app add NAME --repo PATH|URL`');
    else println(ctx.io.out, appsTable(apps, Date.now()));
    return EXIT_OK;
  },
};
