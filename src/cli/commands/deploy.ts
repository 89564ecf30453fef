import { assertAppName } from '../../core/names.js';
import type { ReleaseRecord } from '../../api/wire.js';
import { durationFlag, parseCommandArgs, stringFlag, type ArgSpec } from '../args.js';
import { println, printError, printJson, type CliIo } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_FAILURE, EXIT_OK } from '../exit-code.js';
import { shortRev, trafficSummary } from '../format.js';
import { waitForRelease } from '../wait-release.js';

const spec: ArgSpec = {
  command: 'wandol deploy',
  options: {
    rev: { type: 'string' },
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  },
  required: ['NAME'],
};

/** `wandol deploy NAME [--rev REV] [--wait] [--timeout 10m]`. */
export const deploy: Command = {
  name: 'deploy',
  summary: 'deploy the branch head (or --rev) now',
  usage: `usage: wandol deploy NAME [--rev REV] [--wait] [--timeout 10m] [--json] [--data DIR]

Queues a deploy of the branch head after a fetch, or of REV (a commit, tag or branch).
  --rev REV       what to deploy (default: the head of the app's branch)
  --wait          follow the release until it ends; exit 1 unless it Succeeded
  --timeout D     how long --wait waits (default 10m); the deploy itself goes on
  --json          print the release record as JSON (the final one with --wait)
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(spec, args);
    const name = assertAppName(positionals[0] ?? '');
    const timeoutMs = durationFlag(spec, values, 'timeout', 10 * 60_000) ?? 0;
    const rev = stringFlag(values, 'rev');
    const client = await connectAgent(dataDirOf(values, ctx));
    const { release } = await client.deploy(name, rev === undefined ? {} : { rev });
    if (!values.wait) {
      if (values.json) printJson(ctx.io, release);
      else
        println(
          ctx.io.out,
          `release ${release.id} of ${name} queued (${shortRev(release.revision)}): follow it with \`wandol status ${name}\``,
        );
      return EXIT_OK;
    }
    println(ctx.io.err, `release ${release.id} of ${name} (${shortRev(release.revision)})`);
    const final = await waitForRelease(client, name, release.id, {
      timeoutMs,
      onChange: (r) => r.status === 'InProgress' && println(ctx.io.err, `  ${r.phase}`),
    });
    if (values.json) printJson(ctx.io, final);
    return reportOutcome(ctx.io, final, values.json === true);
  },
};

/** Prints how the release ended (success to stdout, or stderr under --json) and returns the exit status. */
export function reportOutcome(io: CliIo, release: ReleaseRecord, json: boolean): number {
  const what = `release ${release.id} of ${release.app} (${shortRev(release.revision)})`;
  if (release.status === 'Succeeded') {
    const traffic = trafficSummary(release.traffic);
    println(json ? io.err : io.out, `${what} Succeeded${traffic === '-' ? '' : `: ${traffic}`}`);
    return EXIT_OK;
  }
  if (release.error)
    printError(io, `${what} ${release.status}: ${release.error.message}`, release.error.details);
  else
    printError(
      io,
      `${what} ${release.status}${release.status === 'Superseded' ? ': a newer commit was deployed instead' : ''}`,
    );
  return EXIT_FAILURE;
}
