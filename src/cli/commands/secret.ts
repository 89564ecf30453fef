import { WandolError } from '../../core/errors.js';
import { assertAppName } from '../../core/names.js';
import { MAX_SECRET_BYTES, assertSecretName, assertSecretValue } from '../../core/secret-box.js';
import { parseCommandArgs, type ArgSpec } from '../args.js';
import { println, printJson, type CliIo } from '../cli-io.js';
import { dataDirOf, type Command } from '../command.js';
import { connectAgent } from '../connect.js';
import { EXIT_OK } from '../exit-code.js';
import { age, table } from '../format.js';

const setSpec: ArgSpec = { command: 'wandol secret set', options: {}, required: ['NAME', 'KEY'] };
const lsSpec: ArgSpec = {
  command: 'wandol secret ls',
  options: { json: { type: 'boolean' } },
  required: ['NAME'],
};
const rmSpec: ArgSpec = { command: 'wandol secret rm', options: {}, required: ['NAME', 'KEY'] };

/** `wandol secret set NAME KEY`: the value comes from stdin, or a hidden prompt on a terminal. */
export const secretSet: Command = {
  name: 'secret set',
  summary: 'store a secret of an app (value read from stdin, never shown)',
  usage: `usage: wandol secret set NAME KEY [--data DIR]

Stores the secret KEY of app NAME, encrypted at rest by the agent. The value is read from stdin
(all of it, one trailing newline removed), or typed at a hidden prompt when stdin is a terminal.
The app's instances get it as the environment variable KEY when its wandol.yaml lists KEY under
\`secrets:\`, from the next deploy on.

  printf %s "$TOKEN" | wandol secret set hello DISCORD_TOKEN
  wandol secret set hello DISCORD_TOKEN < token.txt
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(setSpec, args);
    const name = assertAppName(positionals[0] ?? '');
    const key = assertSecretName(positionals[1] ?? '');
    const client = await connectAgent(dataDirOf(values, ctx));
    const value = assertSecretValue(await readSecretInput(ctx.io, key));
    await client.setSecret(name, key, value);
    println(ctx.io.out, `set secret ${key} of ${name}: it takes effect at the next deploy`);
    return EXIT_OK;
  },
};

/** `wandol secret ls NAME [--json]`: names and when each was set, never values. */
export const secretLs: Command = {
  name: 'secret ls',
  summary: "list the names of an app's secrets (never their values)",
  usage: `usage: wandol secret ls NAME [--json] [--data DIR]

Lists the secrets of app NAME: names and when each was last set. Values are never shown.
  --json   print them as a JSON array of { name, updatedAt }
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(lsSpec, args);
    const name = assertAppName(positionals[0] ?? '');
    const { secrets } = await (await connectAgent(dataDirOf(values, ctx))).listSecrets(name);
    if (values.json) printJson(ctx.io, secrets);
    else if (secrets.length === 0)
      println(ctx.io.out, `no secrets of ${name} yet: add one with \`wandol secret set ${name} KEY\``);
    else
      println(
        ctx.io.out,
        table(
          ['NAME', 'UPDATED'],
          secrets.map((s) => [s.name, `${age(s.updatedAt, Date.now())} ago`]),
        ),
      );
    return EXIT_OK;
  },
};

/** `wandol secret rm NAME KEY`: idempotent. */
export const secretRm: Command = {
  name: 'secret rm',
  summary: 'remove a secret of an app',
  usage: `usage: wandol secret rm NAME KEY [--data DIR]

Removes the secret KEY of app NAME (nothing happens if there is none). Running instances keep
their environment until the next deploy.
`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(rmSpec, args);
    const name = assertAppName(positionals[0] ?? '');
    const key = assertSecretName(positionals[1] ?? '');
    await (await connectAgent(dataDirOf(values, ctx))).removeSecret(name, key);
    println(ctx.io.out, `removed secret ${key} of ${name}`);
    return EXIT_OK;
  },
};

type Input = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** The secret's value: a hidden prompt on a terminal, else all of stdin minus one trailing newline. */
async function readSecretInput(io: CliIo, key: string): Promise<string> {
  const input = (io.stdin ?? process.stdin) as Input;
  if (input.isTTY && typeof input.setRawMode === 'function') return readHidden(io, input, key);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_SECRET_BYTES + 2) throw tooBig();
    chunks.push(buffer);
  }
  const value = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (value === '') throw emptyInput(key);
  return value;
}

/** Prompts `value for KEY: ` on stderr and reads one line in raw mode, so nothing is echoed. */
function readHidden(io: CliIo, input: Input, key: string): Promise<string> {
  io.err.write(`value for ${key}: `);
  input.setRawMode?.(true);
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const finish = (error?: WandolError): void => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      io.err.write('\n');
      if (error) reject(error);
      else if (value === '') reject(emptyInput(key));
      else resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new WandolError('CANCELLED', 'cancelled: no secret was set'));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
        if (Buffer.byteLength(value) > MAX_SECRET_BYTES) return finish(tooBig());
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

const emptyInput = (key: string): WandolError =>
  new WandolError(
    'USAGE',
    `no value for ${key} on stdin: pipe it in, e.g. \`printf %s "$VALUE" | wandol secret set NAME ${key}\``,
  );
const tooBig = (): WandolError =>
  new WandolError('USAGE', `a secret value is at most ${MAX_SECRET_BYTES} bytes`);
