import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parseAppSpec } from '../config/parse-app-spec.js';
import { WandolError } from '../core/errors.js';
import { envFileEntries } from './compose-env.js';
import { parseComposeFile } from './compose-file.js';
import { renderSpec } from './render-spec.js';
import { translateService, type ServiceImport } from './translate-service.js';

/** One imported service and the files written for it. */
export interface ImportedService extends ServiceImport {
  /** `<out>/<service>/wandol.yaml` (and a Dockerfile for image-only services). */
  files: string[];
}

/** What `wandol import compose` did. */
export interface ComposeImport {
  composeFile: string;
  outDir: string;
  services: ImportedService[];
  unsetVariables: string[];
}

/**
 * Reads a compose file (with its `.env` and each service's env_file, relative to the file), turns
 * every service into `<outDir>/<service>/wandol.yaml` for the docker runtime (plus a Dockerfile for
 * image-only services) and returns what it did and could not do. Every written spec passes
 * parseAppSpec (checked before writing). Overwrites earlier imports. Throws NOT_FOUND (no compose
 * file), INVALID_CONFIG (not a compose file), INTERNAL (a spec that does not validate: a bug).
 */
export async function importCompose(opts: {
  /** The compose file as the user named it (relative to `cwd`). */
  file: string;
  cwd: string;
  outDir: string;
  env: NodeJS.ProcessEnv;
}): Promise<ComposeImport> {
  const file = resolve(opts.cwd, opts.file);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new WandolError('NOT_FOUND', `compose file ${opts.file} not found`);
    throw new WandolError('INTERNAL', `cannot read ${opts.file}: ${err.message}`, { cause: err });
  });
  const dir = dirname(file);
  const dotenv = parseDotenv(await readFile(join(dir, '.env'), 'utf8').catch(() => ''));
  const compose = parseComposeFile(text, basename(file), { ...dotenv, ...opts.env });
  const names = compose.services.map(([name]) => name);
  const services: ImportedService[] = [];
  for (const [name, service] of compose.services) {
    const missing: string[] = [];
    const envFromFiles = await readEnvFiles(dir, service.env_file, missing);
    const imported = translateService({
      name,
      service,
      otherServices: names.filter((n) => n !== name),
      envFromFiles,
    });
    imported.untranslated.push(...missing);
    services.push({ ...imported, files: await writeService(imported, opts.outDir, basename(file)) });
  }
  return { composeFile: opts.file, outDir: opts.outDir, services, unsetVariables: compose.unsetVariables };
}

async function readEnvFiles(
  dir: string,
  envFile: unknown,
  missing: string[],
): Promise<Record<string, string>> {
  let values: Record<string, string> = {};
  for (const entry of envFileEntries(envFile)) {
    const text = await readFile(resolve(dir, entry.path), 'utf8').catch(() => undefined);
    if (text === undefined) {
      if (entry.required)
        missing.push(`env_file ${entry.path}: not found next to the compose file; its variables are missing`);
      continue;
    }
    values = { ...values, ...parseDotenv(text) };
  }
  return values;
}

async function writeService(imp: ServiceImport, outDir: string, composeName: string): Promise<string[]> {
  const folder = join(outDir, imp.service);
  const yaml = renderSpec(imp, composeName);
  try {
    parseAppSpec(yaml, join(folder, 'wandol.yaml'));
  } catch (err) {
    const details = err instanceof WandolError ? err.details : [];
    throw new WandolError(
      'INTERNAL',
      `the spec made for service ${imp.service} does not validate (a wandol bug)`,
      {
        cause: err,
        details,
      },
    );
  }
  await mkdir(folder, { recursive: true });
  const files = [join(folder, 'wandol.yaml')];
  await writeFile(files[0] ?? '', yaml);
  if (imp.dockerfile !== undefined) {
    files.push(join(folder, 'Dockerfile'));
    await writeFile(join(folder, 'Dockerfile'), imp.dockerfile);
  }
  return files;
}
