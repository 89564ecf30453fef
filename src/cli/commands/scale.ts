import { MAX_REPLICAS } from '../../config/app-spec.js';
import { assertAppName } from '../../core/names.js';
import { parseCommandArgs, usage, type ArgSpec } from '../args.js';
import { println, printJson } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_OK } from '../exit-code.js';

const spec: ArgSpec = {
  command: 'wandol scale',
  options: { json: { type: 'boolean' } },
  required: ['NAME', 'N'],
};

/** `wandol scale NAME N`: sets the replicas of the live release (0–100). */
export const scale: Command = {
  name: 'scale',
  summary: 'set the number of instances of an app',
  usage: `usage: wandol scale NAME N [--json] [--data DIR]

Sets the replicas of the app's live release to N (0-${MAX_REPLICAS}); 0 stops every instance and keeps
the app. Refused while wandol.yaml has autoscale: change min/max there instead.
  --json          print the app's status as JSON
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(spec, args);
    const name = assertAppName(positionals[0] ?? '');
    const raw = positionals[1] ?? '';
    if (!/^\d{1,3}$/.test(raw) || Number(raw) > MAX_REPLICAS) {
      throw usage(spec, `N must be a whole number from 0 to ${MAX_REPLICAS}, not ${JSON.stringify(raw)}`);
    }
    const replicas = Number(raw);
    const status = await (await connectAgent(dataDirOf(values, ctx))).scale(name, replicas);
    if (values.json) printJson(ctx.io, status);
    else println(ctx.io.out, `${name} scaled to ${replicas} ${replicas === 1 ? 'replica' : 'replicas'}`);
    return EXIT_OK;
  },
};
