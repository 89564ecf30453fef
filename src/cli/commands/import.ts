import { resolve } from 'node:path';
import { importCompose } from '../../compose/import-compose.js';
import { importSummary } from '../../compose/import-summary.js';
import { parseCommandArgs, stringFlag, usage, type ArgSpec } from '../args.js';
import type { Command } from '../command.js';
import { EXIT_OK } from '../exit-code.js';

const spec: ArgSpec = {
  command: 'wandol import',
  options: { out: { type: 'string' }, json: { type: 'boolean' } },
  required: ['FORMAT', 'FILE'],
};

/** `wandol import compose FILE [--out DIR]`: turns docker-compose services into wandol.yaml specs. */
export const importCommand: Command = {
  name: 'import',
  summary: 'turn a docker-compose.yml into wandol.yaml files',
  usage: `usage: wandol import compose FILE [--out DIR] [--json]

Writes one wandol.yaml (runtime docker) per service of the compose file to DIR/<service>/
(default ./wandol-import), with a Dockerfile "FROM <image>" for services that only name an image,
and prints what needs your attention and what could not be translated (depends_on, networks,
bind mounts...). Secret-looking variables become secrets to set with \`wandol secret set\`.
Works offline: no agent is needed.
  --out DIR       where to write (default ./wandol-import)
  --json          print the result as JSON
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(spec, args);
    const [format = '', file = ''] = positionals;
    if (format !== 'compose')
      throw usage(spec, `unknown format ${JSON.stringify(format)}: only compose is supported`);
    const outDir = resolve(ctx.io.cwd, stringFlag(values, 'out') ?? 'wandol-import');
    const result = await importCompose({ file, cwd: ctx.io.cwd, outDir, env: ctx.io.env });
    if (values.json) ctx.io.out.write(`${JSON.stringify(result, null, 2)}\n`);
    else ctx.io.out.write(importSummary(result));
    return EXIT_OK;
  },
};
