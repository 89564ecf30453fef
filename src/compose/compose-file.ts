import { LineCounter, parseDocument } from 'yaml';
import { WandolError } from '../core/errors.js';
import { asMapping } from './findings.js';
import { interpolateDeep, type InterpolationReport } from './interpolate.js';

/** A parsed compose file: its services (in file order), with variables substituted. */
export interface ComposeFile {
  services: [name: string, service: Record<string, unknown>][];
  /** Variables used in the file but set neither in `.env` nor in the environment (blank, as compose). */
  unsetVariables: string[];
}

/**
 * Parses a compose file (YAML with anchors and `<<` merge keys), substitutes `${VAR}` from `vars`
 * (compose's: the environment over the project's `.env`) and returns its services. Throws
 * INVALID_CONFIG for a syntax error, a file without `services`, a service that is not a mapping,
 * or a `${VAR:?message}` whose variable is unset. Pure.
 */
export function parseComposeFile(
  text: string,
  file: string,
  vars: Record<string, string | undefined>,
): ComposeFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const details = doc.errors.map((err) => {
      const { line, col } = lineCounter.linePos(err.pos[0]);
      return `${file}:${line}:${col}: ${err.message.split('\n')[0] ?? ''}`;
    });
    throw new WandolError('INVALID_CONFIG', `${file} is not valid YAML`, { details });
  }
  const root = asMapping(doc.toJS({ maxAliasCount: 1000 }));
  const rawServices = asMapping(root?.services);
  if (!rawServices || Object.keys(rawServices).length === 0) {
    throw new WandolError('INVALID_CONFIG', `${file} has no services: is it a docker-compose.yml?`);
  }
  const report: InterpolationReport = { unset: new Set(), required: new Set() };
  const services = Object.entries(rawServices).map(([name, raw]): [string, Record<string, unknown>] => {
    const service = asMapping(interpolateDeep(raw ?? {}, vars, report));
    if (!service) throw new WandolError('INVALID_CONFIG', `${file}: service ${name} is not a mapping`);
    return [name, service];
  });
  if (report.required.size > 0) {
    const names = [...report.required].sort().join(', ');
    throw new WandolError(
      'INVALID_CONFIG',
      `${file} requires variables that are not set: ${names}; set them in .env or the environment`,
    );
  }
  return { services, unsetVariables: [...report.unset].sort() };
}
