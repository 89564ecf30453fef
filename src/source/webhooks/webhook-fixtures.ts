import { readFileSync } from 'node:fs';

/** The fixture folder in the source tree (tests run from dist/, the JSON files stay in src/). */
export const FIXTURES_DIR = new URL('../../../../src/source/webhooks/fixtures/', import.meta.url);

/** The raw bytes of a fixture payload, e.g. `github-push.json`. For tests; throws when absent. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES_DIR));
}

/** A fixture payload decoded from JSON. For tests; throws when absent or not JSON. */
export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as unknown;
}
