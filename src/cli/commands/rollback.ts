import { assertAppName } from '../../core/names.js';
import { durationFlag, parseCommandArgs, stringFlag, type ArgSpec } from '../args.js';
import { println, printJson } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_OK } from '../exit-code.js';
import { shortRev } from '../format.js';
import { waitForRelease } from '../wait-release.js';
import { reportOutcome } from './deploy.js';

const spec: ArgSpec = {
  command: 'wandol rollback',
  options: {
    to: { type: 'string' },
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  },
  required: ['NAME'],
};

/** `wandol rollback NAME [--to REV] [--wait]`. */
export const rollback: Command = {
  name: 'rollback',
  summary: 'put a previous release back (artifact and config, no rebuild)',
  usage: `usage: wandol rollback NAME [--to REV] [--wait] [--timeout 10m] [--json] [--data DIR]

Puts a previous release back through the same zero-downtime switch, with its artifact and config and
no rebuild. Within the scale-down delay the previous release is still warm and traffic moves back
to it at once. The release that was live is marked RolledBack. New commits pushed afterwards deploy
as usual; the rolled-back commit is not deployed again by itself.
  --to REV        a release id or commit (default: the release live before the current one)
  --wait          follow the release until it ends; exit 1 unless it Succeeded
  --timeout D     how long --wait waits (default 10m)
  --json          print the release record as JSON
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(spec, args);
    const name = assertAppName(positionals[0] ?? '');
    const timeoutMs = durationFlag(spec, values, 'timeout', 10 * 60_000) ?? 0;
    const to = stringFlag(values, 'to');
    const client = await connectAgent(dataDirOf(values, ctx));
    const { release } = await client.rollback(name, to === undefined ? {} : { to });
    if (!values.wait) {
      if (values.json) printJson(ctx.io, release);
      else
        println(
          ctx.io.out,
          `rollback of ${name} to ${shortRev(release.revision)}: release ${release.id} ${release.status}`,
        );
      return EXIT_OK;
    }
    const final = await waitForRelease(client, name, release.id, {
      timeoutMs,
      onChange: (r) => r.status === 'InProgress' && println(ctx.io.err, `  ${r.phase}`),
    });
    if (values.json) printJson(ctx.io, final);
    return reportOutcome(ctx.io, final, values.json === true);
  },
};
