import { assertAppName } from '../../core/names.js';
import { parseCommandArgs, type ArgSpec } from '../args.js';
import { println } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_OK } from '../exit-code.js';

const spec: ArgSpec = { command: 'wandol app rm', options: {}, required: ['NAME'] };

/** `wandol app rm NAME`. */
export const appRm: Command = {
  name: 'app rm',
  summary: 'stop an app and remove it with its releases and logs',
  usage: `usage: wandol app rm NAME [--data DIR]

Stops the app's instances, removes its route, its release records and its folder.
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(spec, args);
    const name = assertAppName(positionals[0] ?? '');
    await (await connectAgent(dataDirOf(values, ctx))).removeApp(name);
    println(ctx.io.out, `removed app ${name}`);
    return EXIT_OK;
  },
};
