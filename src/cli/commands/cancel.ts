import { assertAppName } from '../../core/names.js';
import { parseCommandArgs, type ArgSpec } from '../args.js';
import { println, printJson } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_OK } from '../exit-code.js';

const spec: ArgSpec = {
  command: 'wandol cancel',
  options: { json: { type: 'boolean' } },
  required: ['NAME'],
};

/** `wandol cancel NAME`: stops the app's queued and running deploys. */
export const cancel: Command = {
  name: 'cancel',
  summary: 'cancel the queued and running deploys of an app',
  usage: `usage: wandol cancel NAME [--json] [--data DIR]

Cancels the deploy that waits and the one that runs (its build is stopped, or its new instances
if they are starting). They are recorded as Failed with the code CANCELLED; the running version
keeps serving.
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(spec, args);
    const name = assertAppName(positionals[0] ?? '');
    const client = await connectAgent(dataDirOf(values, ctx));
    const answer = await client.cancel(name);
    if (values.json) printJson(ctx.io, answer);
    else if (answer.cancelled.length === 0) println(ctx.io.out, `${name} has no deploy to cancel`);
    else println(ctx.io.out, `cancelled release ${answer.cancelled.join(', ')} of ${name}`);
    return EXIT_OK;
  },
};
